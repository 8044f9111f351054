import { useState } from 'react';
import { View, Text } from '@tarojs/components';
import Taro from '@tarojs/taro';
import { Button, Popup, TextArea } from '@nutui/nutui-react-taro';
import { MODERATION_SUBJECT_LABELS, type ModerationCaseView } from '@linli/shared';
import { Choices } from '../../../components/Choices';
import type { Decision } from './CaseCard';

const QUICK_REASONS = ['广告信息', '人身攻击', '不实信息', '泄露隐私', '违法违规', '低俗内容'];
const REASON_MIN = 2;
const TEXT_MAX = 200;

interface Props {
  item: ModerationCaseView;
  decision: Decision;
  busy: boolean;
  onClose: () => void;
  /** `text`: the release note (may be empty) or the removal reason. */
  onSubmit: (text: string) => void;
}

/** 通过 with an optional note, or 移除 with a reason the author reads (a quick reason or their own words). */
export function DecisionForm({ item, decision, busy, onClose, onSubmit }: Props) {
  const [text, setText] = useState('');
  const removing = decision === 'remove';
  const subject = MODERATION_SUBJECT_LABELS[item.subjectType];
  const quick = QUICK_REASONS.findIndex((reason) => reason === text.trim());

  const submit = () => {
    if (removing && text.trim().length < REASON_MIN) {
      void Taro.showToast({ title: `请写明移除理由，至少 ${REASON_MIN} 个字`, icon: 'none' });
      return;
    }
    onSubmit(text.trim());
  };

  return (
    <Popup visible position="bottom" round closeable title={removing ? `移除这条${subject}` : `通过这条${subject}`} onClose={onClose} destroyOnClose>
      <View id={`mod-form-${decision}`} className="mod-form">
        <View className="mod-form__hint muted">
          {removing
            ? item.subjectType === 'report'
              ? '说事将不予受理，作者会收到通知并看到理由。'
              : `${subject}不会公开，作者会收到通知并看到理由。`
            : item.subjectType === 'report'
              ? '通过后说事进入网格员的待办，作者会收到通知。'
              : '通过后所有人可见，作者会收到通知。'}
        </View>
        {removing ? (
          <>
            <Text className="mod-form__label">常用理由</Text>
            <Choices
              idPrefix="mod-reason"
              small
              items={QUICK_REASONS.map((label, index) => ({ key: index, label }))}
              selected={quick >= 0 ? quick : null}
              onSelect={(index) => setText(QUICK_REASONS[index])}
            />
          </>
        ) : null}
        <Text className="mod-form__label">{removing ? '移除理由（作者可见）' : '审核说明（可不填，仅审核记录可见）'}</Text>
        <View id="mod-form-text" className="mod-form__text">
          <TextArea
            placeholder={removing ? '如：含广告联系方式' : '如：反映问题属实，措辞不当'}
            value={text}
            onChange={(value) => setText(value)}
            maxLength={TEXT_MAX}
            showCount
            rows={2}
            autoSize
          />
        </View>
        <View className="mod-form__submit">
          <Button id="mod-submit" type="primary" size="large" block loading={busy} disabled={busy} onClick={submit}>
            {removing ? '确定移除' : '确定通过'}
          </Button>
        </View>
      </View>
    </Popup>
  );
}
