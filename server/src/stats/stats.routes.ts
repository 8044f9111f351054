import { statsQuery } from '@linli/shared';
import type { DataSource } from 'typeorm';
import type { GridDirectory } from '../grids/grid-directory';
import { route } from '../platform/route';
import { attachmentDisposition, exportFilename, streamReportsXlsx } from './reports-export';
import type { StatsService } from './stats.service';

const XLSX = 'application/vnd.openxmlformats-officedocument.spreadsheetml.sheet';

export function statsRoutes(stats: StatsService, dataSource: DataSource, directory: GridDirectory, now: () => Date) {
  return [
    route({
      method: 'get',
      path: '/stats/overview',
      reads: 'replica',
      tag: 'stats',
      summary: 'Dashboard of a node and period: received, 办结率, on-time, satisfaction, hours, overdue; by child, category, channel, method; daily; hot spots; 议事, hours, points',
      query: statsQuery,
      handler: ({ actor, query }) => stats.overview(actor, query),
    }),
    route({
      method: 'get',
      path: '/stats/reports.xlsx',
      reads: 'replica',
      tag: 'stats',
      summary: 'The reports received under a node in a period as an .xlsx with Chinese headers (streamed)',
      query: statsQuery,
      async handler({ actor, query, ctx }) {
        const node = await stats.nodeFor(actor, query.nodeId);
        const period = stats.period(query);
        const { name, ascii } = exportFilename(node, period);
        ctx.type = XLSX;
        ctx.set('Content-Disposition', attachmentDisposition(name, ascii));
        ctx.set('Cache-Control', 'no-store');
        return streamReportsXlsx(dataSource, directory, stats, node, period, now(), ctx.state.log);
      },
    }),
  ];
}
