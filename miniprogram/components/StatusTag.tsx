import { Tag } from '@nutui/nutui-react-taro';
import { REPORT_STATUS_INFO, type ReportStatus } from '@linli/shared';

export function StatusTag({ status }: { status: ReportStatus }) {
  const info = REPORT_STATUS_INFO[status];
  return (
    <Tag className={`status-tag status-${status}`} type={info.tag} round plain={info.tag === 'default'}>
      {info.label}
    </Tag>
  );
}
