import type {
  CreateDisputeBody,
  DisputeAction,
  DisputeActionBody,
  DisputeDetail,
  DisputeListPage,
  DisputeStats,
  ListDisputesQuery,
  Me,
  Mediator,
  StatsQuery,
} from '@linli/shared';
import { api, request } from './api';
import { downloadFile, queryString } from './stats';

export const DISPUTE_APPLY_PAGE = '/packages/disputes/apply/index';
export const MY_DISPUTES_PAGE = '/packages/disputes/mine/index';
export const DISPUTE_QUEUE_PAGE = '/packages/disputes/queue/index';
export const DISPUTE_DETAIL_PAGE = '/packages/disputes/detail/index';
export const DISPUTE_STATS_PAGE = '/packages/dashboard/disputes/index';
export const disputeDetailUrl = (id: number) => `${DISPUTE_DETAIL_PAGE}?id=${id}`;

/** Who works on cases: coordinators accept and assign; mediators mediate; these and grid workers register walk-ins. */
export const COORDINATOR_ROLES = ['secretary', 'admin'] as const;
export const REGISTRAR_ROLES = ['grid_worker', 'secretary', 'mediator', 'admin'] as const;

export const isCoordinator = (me: Pick<Me, 'roles'> | null) => !!me && me.roles.some((r) => (COORDINATOR_ROLES as readonly string[]).includes(r));
export const isRegistrar = (me: Pick<Me, 'roles'> | null) => !!me && me.roles.some((r) => (REGISTRAR_ROLES as readonly string[]).includes(r));
/** The queue is for mediators and coordinators. */
export const hasDisputeQueue = (me: Pick<Me, 'roles'> | null) => !!me && (isCoordinator(me) || me.roles.includes('mediator'));

export function createDispute(body: CreateDisputeBody): Promise<DisputeDetail> {
  return api.post<DisputeDetail>('/disputes', body);
}

export function listDisputes(query: Partial<ListDisputesQuery>): Promise<DisputeListPage> {
  return api.get<DisputeListPage>('/disputes', { query: { scope: query.scope ?? 'mine', status: query.status, type: query.type, cursor: query.cursor, limit: query.limit ?? 20 } });
}

export function getDispute(id: number): Promise<DisputeDetail> {
  return api.get<DisputeDetail>(`/disputes/${id}`);
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
