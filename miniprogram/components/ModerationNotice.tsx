import { View, Text } from '@tarojs/components';
import { moderationNoticeFor, type ModerationState } from '@linli/shared';
import './ModerationNotice.scss';

interface Props {
  id: string;
  state: ModerationState;
  /** What it is: the notice says what waits for the review (handling, co-signing, being seen) and how long it takes. */
  subject: 'report' | 'consultation' | 'comment';
  /** Said after the notice, e.g. where a removal's reason can be read. */
  hint?: string;
}

/** What the author (or a reviewer) reads while content is not public: 审核中 / 未通过审核. */
export function ModerationNotice({ id, state, subject, hint }: Props) {
  if (state === 'clear') return null;
  return (
    <View id={id} className={`moderation-notice moderation-notice--${state}`}>
      <Text className="moderation-notice__title">{state === 'removed' ? '未通过审核' : '审核中'}</Text>
      <Text className="moderation-notice__text">
        {moderationNoticeFor(subject, state)}
        {hint ? `${hint}。` : ''}
      </Text>
    </View>
  );
}

/** The small mark on a row or a comment; nothing for public content. */
export function ModerationMark({ state, className }: { state: ModerationState; className?: string }) {
  if (state === 'clear') return null;
  return <Text className={`mark ${state === 'removed' ? 'mark--danger' : 'mark--warning'} moderation-mark ${className ?? ''}`}>{state === 'removed' ? '未通过审核' : '审核中'}</Text>;
}
