import ExcelJS from 'exceljs';
import { In, type DataSource } from 'typeorm';
import {
  chinaDay,
  DISPUTE_SOURCE_LABELS,
  DISPUTE_SOURCES,
  DISPUTE_STATUS_INFO,
  DISPUTE_TYPE_LABELS,
  DISPUTE_TYPES,
  FAILURE_ADVICE_LABELS,
  MEDIATING_STATUSES,
  RISK_LEVEL_LABELS,
  CONFIRMATION_STATUS_LABELS,
  type DisputeBreakdownRow,
  type DisputeStats,
  type StatsQuery,
} from '@linli/shared';
import type { GridDirectory, GridNodeInfo } from '../grids/grid-directory';
import type { Actor } from '../identity/actor';
import { addDisputeCounts, countDisputeKpis, countOverdueDisputes, disputeFigures, ZERO_DISPUTE_COUNTS, type DisputeKpiCounts, type DisputeKpiRow } from '../stats/kpi';
import { chinaTime } from '../stats/reports-export';
import type { Period, StatsService } from '../stats/stats.service';
import { Dispute, MediatorRow } from './dispute.entities';
import type { MediatorsService } from './mediators.service';

/** The columns a figure needs: the cohort is read as these alone. */
const KPI_COLUMNS = ['id', 'status', 'type', 'source', 'mediatorId', 'createdAt', 'acceptedAt', 'declinedAt', 'agreedAt', 'failedAt', 'fulfilledAt', 'breachedAt', 'ruledAt', 'dueAt', 'confirmationStatus'] as const;
type CohortRow = Pick<Dispute, (typeof KPI_COLUMNS)[number]>;

/**
 * 矛盾纠纷调处's figures for a node and a period (definitions in stats/kpi.ts), for the secretaries and
 * admins over the node, and the same as an .xlsx (figures, by type, by mediator, and the case ledger).
 * A county's cases of a year are thousands, not millions: the cohort's few columns are read and counted
 * by the one pure function the tests check.
 */
export class DisputeStatsService {
  constructor(
    private readonly dataSource: DataSource,
    private readonly directory: GridDirectory,
    private readonly mediators: MediatorsService,
    private readonly stats: StatsService,
    private readonly now: () => Date = () => new Date(),
  ) {}

  async node(actor: Actor, query: StatsQuery): Promise<{ node: GridNodeInfo; period: Period }> {
    const node = await this.mediators.coordinatorNode(actor, query.nodeId, '纠纷调处统计');
    return { node, period: this.stats.period(query) };
  }

  async figures(actor: Actor, query: StatsQuery): Promise<DisputeStats> {
    const { node, period } = await this.node(actor, query);
    return this.figuresOf(node, period);
  }

  async figuresOf(node: GridNodeInfo, { from, to }: Period): Promise<DisputeStats> {
    const [rows, open] = await Promise.all([this.cohort(node, from, to), this.openUnder(node)]);
    const kpiRows = rows.map(toKpiRow);
    const total = countDisputeKpis(kpiRows, from, to);
    const by = (key: (row: CohortRow) => string | null) => {
      const groups = new Map<string, DisputeKpiCounts>();
      rows.forEach((row, i) => {
        const k = key(row);
        if (k === null) return;
        groups.set(k, addDisputeCounts(groups.get(k) ?? ZERO_DISPUTE_COUNTS, countDisputeKpis([kpiRows[i]], from, to)));
      });
      return groups;
    };
    const breakdown = (groups: Map<string, DisputeKpiCounts>, order: readonly string[], label: (k: string) => string): DisputeBreakdownRow[] =>
      [...groups.entries()]
        .sort(([a], [b]) => rank(order, a) - rank(order, b))
        .map(([key, counts]) => ({ key, label: label(key), ...disputeFigures(counts) }));
    const byMediator = by((row) => (row.mediatorId === null ? null : String(row.mediatorId)));
    const names = await this.mediatorNames([...byMediator.keys()].map(Number));
    const mediatorRows = breakdown(byMediator, [], (k) => names.get(Number(k)) ?? `调解员 ${k}`).sort((a, b) => b.accepted - a.accepted || a.label.localeCompare(b.label, 'zh'));
    return {
      node: { id: node.id, name: node.name, level: node.level },
      from: from.toISOString(),
      to: to.toISOString(),
      ...disputeFigures(total),
      overdue: countOverdueDisputes(open.map(toKpiRow), this.now()),
      byType: breakdown(by((row) => row.type), DISPUTE_TYPES, (k) => DISPUTE_TYPE_LABELS[k as keyof typeof DISPUTE_TYPE_LABELS] ?? k),
      byMediator: mediatorRows,
      bySource: breakdown(by((row) => row.source), DISPUTE_SOURCES, (k) => DISPUTE_SOURCE_LABELS[k as keyof typeof DISPUTE_SOURCE_LABELS] ?? k),
      confirmations: { applied: total.confirmationApplied, confirmed: total.confirmationConfirmed, rejected: total.confirmationRejected },
    };
  }

  /** The cases registered under the node in [from, to): one index range (nodePath, createdAt). */
  private cohort(node: GridNodeInfo, from: Date, to: Date): Promise<CohortRow[]> {
    return this.dataSource
      .getRepository(Dispute)
      .createQueryBuilder('d')
      .select(KPI_COLUMNS.map((c) => `d.${c}`))
      .where('d.nodePath LIKE :under', { under: `${node.path}%` })
      .andWhere('d.createdAt >= :from AND d.createdAt < :to', { from, to })
      .getMany();
  }

  private openUnder(node: GridNodeInfo): Promise<CohortRow[]> {
    return this.dataSource
      .getRepository(Dispute)
      .createQueryBuilder('d')
      .select(KPI_COLUMNS.map((c) => `d.${c}`))
      .where('d.status IN (:...mediating)', { mediating: MEDIATING_STATUSES })
      .andWhere('d.nodePath LIKE :under', { under: `${node.path}%` })
      .getMany();
  }

  private async mediatorNames(ids: number[]): Promise<Map<number, string>> {
    if (ids.length === 0) return new Map();
    const rows = await this.dataSource.getRepository(MediatorRow).find({ select: { id: true, name: true }, where: { id: In(ids) } });
    return new Map(rows.map((m) => [m.id, m.name]));
  }

  /** The figures and the period's cases as a workbook with Chinese headers. No phone numbers. */
  async xlsx(node: GridNodeInfo, period: Period): Promise<Buffer> {
    const figures = await this.figuresOf(node, period);
    const workbook = new ExcelJS.Workbook();
    workbook.creator = 'linli 邻里';
    const summary = workbook.addWorksheet('调处统计');
    summary.columns = [
      { header: '分组', key: 'label', width: 16 },
      { header: '受理登记', key: 'received', width: 10 },
      { header: '受理调解', key: 'accepted', width: 10 },
      { header: '达成协议', key: 'agreed', width: 10 },
      { header: '调解不成', key: 'failed', width: 10 },
      { header: '速裁判决', key: 'ruled', width: 10 },
      { header: '化解', key: 'resolved', width: 8 },
      { header: '调解成功率', key: 'successRate', width: 12 },
      { header: '化解率', key: 'resolutionRate', width: 10 },
      { header: '平均调解天数', key: 'avgDays', width: 12 },
    ];
    summary.getRow(1).font = { bold: true };
    const put = (label: string, row: Omit<DisputeBreakdownRow, 'key' | 'label'>) =>
      summary.addRow({ ...row, label, successRate: percentCell(row.successRate), resolutionRate: percentCell(row.resolutionRate), avgDays: row.avgDays ?? '' });
    put(`${figures.node.name}合计`, figures);
    for (const [title, rows] of [['按类型', figures.byType], ['按调解员', figures.byMediator], ['按来源', figures.bySource]] as const) {
      summary.addRow({ label: title }).font = { bold: true };
      for (const row of rows) put(row.label, row);
    }
    summary.addRow({});
    summary.addRow({ label: `司法确认：申请中 ${figures.confirmations.applied}，已确认 ${figures.confirmations.confirmed}，不予确认 ${figures.confirmations.rejected}` });
    summary.addRow({ label: `当前超期 ${figures.overdue} 件（${chinaDay(period.from)} 至 ${chinaDay(new Date(period.to.getTime() - 1))}）` });

    const ledger = workbook.addWorksheet('调解台账', { views: [{ state: 'frozen', ySplit: 1 }] });
    ledger.columns = [
      { header: '编号', key: 'number', width: 16 },
      { header: '标题', key: 'title', width: 30 },
      { header: '类型', key: 'type', width: 10 },
      { header: '来源', key: 'source', width: 10 },
      { header: '风险等级', key: 'risk', width: 12 },
      { header: '状态', key: 'status', width: 10 },
      { header: '网格', key: 'grid', width: 26 },
      { header: '调解员', key: 'mediator', width: 10 },
      { header: '登记时间', key: 'createdAt', width: 17 },
      { header: '受理时间', key: 'acceptedAt', width: 17 },
      { header: '调解期限', key: 'dueAt', width: 17 },
      { header: '结果', key: 'outcome', width: 16 },
      { header: '司法确认', key: 'confirmation', width: 14 },
    ];
    ledger.getRow(1).font = { bold: true };
    const cases = await this.dataSource
      .getRepository(Dispute)
      .createQueryBuilder('d')
      .where('d.nodePath LIKE :under', { under: `${node.path}%` })
      .andWhere('d.createdAt >= :from AND d.createdAt < :to', period)
      .orderBy('d.id', 'ASC')
      .getMany();
    const names = await this.mediatorNames(cases.map((c) => c.mediatorId).filter((id): id is number => id !== null));
    for (const c of cases) {
      ledger.addRow({
        number: c.number,
        title: c.title,
        type: DISPUTE_TYPE_LABELS[c.type],
        source: DISPUTE_SOURCE_LABELS[c.source],
        risk: RISK_LEVEL_LABELS[c.riskLevel],
        status: DISPUTE_STATUS_INFO[c.status].label,
        grid: this.directory.pathOf(c.nodeId).slice(2).map((p) => p.name).join(' / '),
        mediator: c.mediatorId ? (names.get(c.mediatorId) ?? '') : '',
        createdAt: chinaTime(c.createdAt),
        acceptedAt: chinaTime(c.acceptedAt),
        dueAt: chinaTime(c.dueAt),
        outcome: outcomeLabel(c),
        confirmation: c.confirmationStatus ? CONFIRMATION_STATUS_LABELS[c.confirmationStatus] : '',
      });
    }
    return Buffer.from(await workbook.xlsx.writeBuffer());
  }
}

function toKpiRow(row: CohortRow): DisputeKpiRow {
  const at = (d: Date | null) => (d ? new Date(d) : null);
  return {
    status: row.status,
    createdAt: new Date(row.createdAt),
    acceptedAt: at(row.acceptedAt),
    declinedAt: at(row.declinedAt),
    agreedAt: at(row.agreedAt),
    failedAt: at(row.failedAt),
    fulfilledAt: at(row.fulfilledAt),
    breachedAt: at(row.breachedAt),
    ruledAt: at(row.ruledAt),
    dueAt: at(row.dueAt),
    confirmationStatus: row.confirmationStatus,
  };
}

/** What the case came to, in words: 达成协议（已履行）, 调解不成（转速裁法庭）→ 速裁已判, … */
function outcomeLabel(c: Dispute): string {
  if (c.agreedAt) return `达成协议${c.breachedAt ? '（未履行）' : c.fulfilledAt ? '（已履行）' : ''}`;
  if (c.failedAt) return `调解不成（${c.failureAdvice ? FAILURE_ADVICE_LABELS[c.failureAdvice] : ''}）${c.ruledAt ? '，速裁已判' : ''}`;
  if (c.declinedAt) return '不予受理';
  return '';
}

const percentCell = (rate: number | null) => (rate === null ? '' : `${(rate * 100).toFixed(1)}%`);

function rank(order: readonly string[], key: string): number {
  const i = order.indexOf(key);
  return i === -1 ? order.length : i;
}
