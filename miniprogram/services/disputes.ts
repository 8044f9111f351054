import type {
  CreateDisputeBody,
  DisputeAction,
  DisputeActionBody,
  DisputeDetail,
  DisputeListPage,
  DisputeStats,
  ListDisputesQuery,
  Mediator,
  StatsQuery,
} from '@linli/shared';
import { api, request, type RequestOptions } from './api';
import { queryString } from './files';
import { downloadFile } from './stats';

export const DISPUTE_APPLY_PAGE = '/packages/disputes/apply/index';
export const MY_DISPUTES_PAGE = '/packages/disputes/mine/index';
export const DISPUTE_QUEUE_PAGE = '/packages/disputes/queue/index';
export const DISPUTE_DETAIL_PAGE = '/packages/disputes/detail/index';
export const DISPUTE_STATS_PAGE = '/packages/dashboard/disputes/index';
export const disputeDetailUrl = (id: number) => `${DISPUTE_DETAIL_PAGE}?id=${id}`;

export { hasDisputeQueue, mayCoordinateDisputes as isCoordinator, mayRegisterDisputes as isRegistrar } from '@linli/shared';

export function createDispute(body: CreateDisputeBody): Promise<DisputeDetail> {
  return api.post<DisputeDetail>('/disputes', body);
}

export function listDisputes(query: Partial<Omit<ListDisputesQuery, 'cursor'>> & { cursor?: string }): Promise<DisputeListPage> {
  return api.get<DisputeListPage>('/disputes', { query: { scope: query.scope ?? 'mine', status: query.status, type: query.type, cursor: query.cursor, limit: query.limit ?? 20 } });
}

export function getDispute(id: number, options: RequestOptions = {}): Promise<DisputeDetail> {
  return api.get<DisputeDetail>(`/disputes/${id}`, options);
}

/** One step of the case, carrying its `version`; a 409 (someone acted first) is left to the caller. */
export function runDisputeAction<A extends DisputeAction>(dispute: Pick<DisputeDetail, 'id' | 'version'>, action: A, body: Omit<DisputeActionBody<A>, 'version'>): Promise<DisputeDetail> {
  return request<DisputeDetail>('POST', `/disputes/${dispute.id}/${action}`, { body: { ...body, version: dispute.version }, silent: true });
}

export function listMediators(nodeId?: number): Promise<Mediator[]> {
  return api.get<{ items: Mediator[] }>('/mediators', { query: { nodeId } }).then((page) => page.items);
}

/** 人民调解协议书 (.docx): saved on H5, opened in WeChat's document viewer on weapp. */
export function openAgreement(dispute: Pick<DisputeDetail, 'id' | 'number'>): Promise<void> {
  return downloadFile(`/disputes/${dispute.id}/agreement`, 'docx', `人民调解协议书_${dispute.number}.docx`);
}

export function getDisputeStats(query: StatsQuery): Promise<DisputeStats> {
  return request<DisputeStats>('GET', '/stats/disputes', { query: { nodeId: query.nodeId, from: query.from, to: query.to } });
}

export function exportDisputesXlsx(query: StatsQuery, fallbackName: string): Promise<void> {
  return downloadFile(`/stats/disputes.xlsx${queryString({ nodeId: query.nodeId, from: query.from, to: query.to })}`, 'xlsx', fallbackName);
}
