import Taro from '@tarojs/taro';
import { isErrorBody, type HouseholdMembersView, type LedgerImportResult, type MembershipRelation, type ResidentView } from '@linli/shared';
import { api, API_BASE, ApiError, showError } from './api';
import { getToken } from './session';
import { saveXlsx } from './stats';

/** 住户台账: import, export and fixing a flat by hand (secretaries and admins). */
export const LEDGER_PAGE = '/packages/dashboard/ledger/index';

export const downloadLedgerTemplate = () => saveXlsx('/households/import-template', '住户台账模板.xlsx');

export const exportLedger = (nodeId: number, nodeName: string) => saveXlsx(`/households/export?nodeId=${nodeId}`, `${nodeName}住户台账.xlsx`);

/**
 * `POST /households/import` with the chosen .xlsx (a blob: URL on H5, a temp file from
 * chooseMessageFile on weapp), as a dry run or for real. Failures are toasted and thrown.
 */
export function importLedger(filePath: string, fileName: string, nodeId: number, dryRun: boolean): Promise<LedgerImportResult> {
  const token = getToken();
  return new Promise<LedgerImportResult>((resolve, reject) => {
    const fail = (error: ApiError) => {
      showError(error);
      reject(error);
    };
    Taro.uploadFile({
      url: `${API_BASE}/households/import?nodeId=${nodeId}&dryRun=${dryRun}`,
      filePath,
      name: 'file',
      // H5 only: the name the multipart part carries (the server reads the content, not the name).
      ...({ fileName } as object),
      header: token ? { Authorization: `Bearer ${token}` } : {},
      success(response) {
        let data: unknown = response.data;
        try {
          if (typeof data === 'string') data = JSON.parse(data);
        } catch {
          // not JSON: handled below
        }
        if (response.statusCode === 200 && typeof (data as LedgerImportResult | null)?.created === 'number') resolve(data as LedgerImportResult);
        else if (isErrorBody(data)) fail(new ApiError(response.statusCode, data.error.code, data.error.message, data.error.details ?? []));
        else fail(new ApiError(response.statusCode, 'BAD_RESPONSE', `导入失败（${response.statusCode}）`));
      },
      fail() {
        fail(new ApiError(0, 'NETWORK_ERROR', '网络异常，上传失败'));
      },
    });
  });
}

/** The mini-program picks a file from a chat (where an .xlsx arrives); null when the user backs out. */
export async function chooseLedgerFile(): Promise<{ path: string; name: string } | null> {
  try {
    const chosen = await Taro.chooseMessageFile({ count: 1, type: 'file', extension: ['xlsx'] });
    const file = chosen.tempFiles[0];
    return file ? { path: file.path, name: file.name } : null;
  } catch {
    return null;
  }
}

export const householdMembers = (householdId: number) => api.get<HouseholdMembersView>(`/households/${householdId}/members`);

export const setHouseholdArea = (householdId: number, areaM2: number | null) => api.put<{ id: number; areaM2: number | null }>(`/households/${householdId}`, { areaM2 });

export const removeMember = (membershipId: number, reason: string, version: number) => api.post(`/memberships/${membershipId}/remove`, { reason, version });

export const registerResident = (body: { name: string; phone?: string; householdId: number; relation: MembershipRelation }) => api.post<ResidentView>('/residents', body);
