import { memo, useMemo, useState } from 'react';
import { View, Text } from '@tarojs/components';
import Taro from '@tarojs/taro';
import { Button } from '@nutui/nutui-react-taro';
import { MODERATION_CASE_STATUS_LABELS, MODERATION_SUBJECT_LABELS, type ModerationCaseView, type ModerationSubject } from '@linli/shared';
import { PhotoGrid } from '../../../components/PhotoGrid';
import { caseSubjectUrl } from '../../../services/moderation';
import { formatTime, timeAgo } from '../../../utils/time';
import { splitByWords } from './highlight';

export type Decision = 'release' | 'remove';

const SOURCE_LABELS: Record<string, string> = { wechat: '微信', wordlist: '词库' };

const OPEN_LINKS: Record<ModerationSubject, string> = {
  report: '查看说事',
  report_rating: '查看所评的说事',
  consultation: '查看议题',
  consultation_comment: '查看所在议题',
};

/** Texts longer than this start folded: a queue of 300 should scroll, the reviewer unfolds what they read. */
const FOLD_CHARS = 140;

interface Props {
  item: ModerationCaseView;
  onDecide: (item: ModerationCaseView, decision: Decision) => void;
}

/** One case: what was written, where and by whom, what the checks found (words highlighted), and the two decisions. */
export const CaseCard = memo(function CaseCard({ item, onDecide }: Props) {
  const [unfolded, setUnfolded] = useState(false);
  const words = useMemo(() => item.findings.flatMap((finding) => finding.words ?? []), [item.findings]);
  const parts = useMemo(() => splitByWords(item.text, words), [item.text, words]);
  const flaggedPhotos = item.findings.filter((finding) => finding.target !== 'text').map((finding) => finding.target);
  const open = item.status === 'held' || item.status === 'pending';
  const foldable = item.text.length > FOLD_CHARS;

  return (
    <View id={`mod-case-${item.id}`} className={`card mod-case mod-case--${item.status}`}>
      <View className="mod-case__head">
        <Text className="mark mod-case__subject">{MODERATION_SUBJECT_LABELS[item.subjectType]}</Text>
        {!open ? <Text className={`mark mod-case__status mod-case__status--${item.status}`}>{MODERATION_CASE_STATUS_LABELS[item.status]}</Text> : null}
        <Text className="mod-case__time muted">{timeAgo(item.createdAt)}</Text>
      </View>
      <View className="mod-case__who muted">
        <Text className="mod-case__author">{item.author.nickname}</Text>
        {item.place ? <Text> · {item.place.split(' › ').slice(-2).join(' › ')}</Text> : null}
      </View>

      <View
        className={`mod-case__text ${foldable && !unfolded ? 'is-folded' : ''}`}
        onClick={() => foldable && setUnfolded((value) => !value)}
      >
        {parts.map((part, index) =>
          part.hit ? (
            <Text key={index} className="mod-case__hit">
              {part.text}
            </Text>
          ) : (
            <Text key={index}>{part.text}</Text>
          ),
        )}
      </View>
      {foldable ? (
        <View className="mod-case__fold" onClick={() => setUnfolded((value) => !value)}>
          {unfolded ? '收起' : '展开全文'}
        </View>
      ) : null}

      <PhotoGrid block="mod-case-photos" urls={item.photos} flagged={flaggedPhotos} />

      <View className="mod-case__findings">
        {item.findings.map((finding, index) => (
          <Text key={index} className={`mod-finding mod-finding--${finding.suggest}`}>
            {finding.target === 'text' ? '' : '图片·'}
            {finding.label} · {SOURCE_LABELS[finding.source] ?? finding.source}
            {finding.words?.length ? `：${finding.words.join('、')}` : ''}
          </Text>
        ))}
        {item.status === 'pending' ? <Text className="mod-finding mod-finding--pending">图片检测中</Text> : null}
      </View>

      {item.decidedAt ? (
        <View className="mod-case__decision muted">
          {item.decidedBy ? item.decidedBy.nickname : '系统'} {MODERATION_CASE_STATUS_LABELS[item.status]} · {formatTime(item.decidedAt)}
          {item.decisionNote ? <View className="mod-case__note">{item.status === 'removed' ? '理由' : '说明'}：{item.decisionNote}</View> : null}
        </View>
      ) : null}

      <View className="mod-case__foot">
        <Text id={`mod-open-${item.id}`} className="mod-case__open" onClick={() => void Taro.navigateTo({ url: caseSubjectUrl(item) })}>
          {OPEN_LINKS[item.subjectType]} ›
        </Text>
        {open ? (
          <View className="mod-case__actions">
            <Button id={`mod-remove-${item.id}`} size="small" onClick={() => onDecide(item, 'remove')}>
              移除
            </Button>
            <Button id={`mod-release-${item.id}`} size="small" type="primary" onClick={() => onDecide(item, 'release')}>
              通过
            </Button>
          </View>
        ) : null}
      </View>
    </View>
  );
});
