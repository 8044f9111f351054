import { Tag } from '@nutui/nutui-react-taro';
import { CONSULTATION_STATUS_LABELS, type ConsultationStatus } from '@linli/shared';

type TagType = 'primary' | 'warning' | 'success' | 'default' | 'danger';

/** Colour of each phase's tag (the labels come from @linli/shared). */
const TAG_TYPES: Record<ConsultationStatus, TagType> = {
  proposed: 'warning',
  in_review: 'warning',
  withdrawn: 'default',
  rejected: 'danger',
  discussing: 'primary',
  decided: 'success',
  implementing: 'primary',
  completed: 'default',
};

export function ConsultStatusTag({ status }: { status: ConsultationStatus }) {
  const type = TAG_TYPES[status];
  return (
    <Tag className={`status-tag consult-status-${status}`} type={type} round plain={type === 'default'}>
      {CONSULTATION_STATUS_LABELS[status]}
    </Tag>
  );
}
