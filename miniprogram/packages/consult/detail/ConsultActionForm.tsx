import { useState, type ReactNode } from 'react';
import { View, Text, Picker } from '@tarojs/components';
import Taro from '@tarojs/taro';
import { Button, Input, Popup, TextArea } from '@nutui/nutui-react-taro';
import {
  DEFAULT_OPTIONS,
  isCivilCodeRule,
  VOTING_RULE_EXPLANATIONS,
  VOTING_RULES,
  VOTING_RULE_LABELS,
  type ConsultationAction,
  type ConsultationDetail,
  type VotingRule,
} from '@linli/shared';
import { Choices } from '../../../components/Choices';
import { PhotoPicker } from '../../../components/PhotoPicker';
import { usePhotoUploads } from '../../../hooks/usePhotoUploads';
import type { ConsultationActionBody } from '../../../services/consultations';

/** The actions that open a form; `hide` is hiding one comment. */
export const FORM_ACTIONS = ['approve', 'reject', 'implement', 'progress', 'complete'] as const satisfies readonly ConsultationAction[];
export type FormAction = (typeof FORM_ACTIONS)[number] | 'hide';

export const ACTION_BUTTON_LABELS: Record<FormAction, string> = {
  approve: '审议通过',
  reject: '不予通过',
  implement: '开始落实',
  progress: '记录进展',
  complete: '落实完成',
  hide: '隐藏评论',
};

const FORM_TITLES: Record<FormAction, string> = {
  approve: '审议通过，进入协商表决',
  reject: '不予通过',
  implement: '开始落实',
  progress: '记录落实进展',
  complete: '落实完成',
  hide: '隐藏这条评论',
};

export type Submit = <A extends ConsultationAction>(action: A, body: ConsultationActionBody<A>) => Promise<boolean>;

interface Props {
  action: FormAction;
  consultation: ConsultationDetail;
  busy: boolean;
  onClose: () => void;
  onSubmit: Submit;
  onHide: (reason: string) => Promise<boolean>;
}

const MAX_OPTIONS = 6;
const OPTION_MAX = 30;
const DEADLINE_DAYS = [3, 7, 14] as const;
const DEFAULT_DAYS = 7;

const pad = (n: number) => String(n).padStart(2, '0');
const dateText = (d: Date) => `${d.getFullYear()}-${pad(d.getMonth() + 1)}-${pad(d.getDate())}`;
const timeText = (d: Date) => `${pad(d.getHours())}:${pad(d.getMinutes())}`;

/** 7 days from now, on the hour after (easier to read than 14:37). */
function defaultDeadline(days: number): Date {
  const d = new Date(Date.now() + days * 86400_000);
  d.setMinutes(0, 0, 0);
  d.setHours(d.getHours() + 1);
  return d;
}

function Note(props: { id: string; value: string; onChange: (v: string) => void; placeholder: string; max?: number }) {
  return (
    <View id={props.id} className="action-form__note">
      <TextArea placeholder={props.placeholder} value={props.value} onChange={props.onChange} maxLength={props.max ?? 500} showCount rows={3} autoSize />
    </View>
  );
}

function Label({ children }: { children: ReactNode }) {
  return <View className="action-form__label">{children}</View>;
}

/** One popup form per secretary / owner action; sends only what the contract's body asks for. */
export function ConsultActionForm({ action, consultation, busy, onClose, onSubmit, onHide }: Props) {
  const [note, setNote] = useState('');
  const [options, setOptions] = useState<string[]>([...DEFAULT_OPTIONS]);
  const [deadline, setDeadline] = useState<Date>(() => defaultDeadline(DEFAULT_DAYS));
  const [days, setDays] = useState<number | null>(DEFAULT_DAYS);
  const [rule, setRule] = useState<VotingRule>('simple');
  const [ownerMode, setOwnerMode] = useState<'me' | 'proposer' | 'other'>('me');
  const [ownerText, setOwnerText] = useState('');
  const photos = usePhotoUploads();
  const areasMissing = consultation.areasMissing ?? 0;

  const toast = (title: string) => void Taro.showToast({ title, icon: 'none' });
  const needNote = (what: string) => {
    if (note.trim().length < 2) {
      toast(`请填写${what}，至少 2 个字`);
      return false;
    }
    return true;
  };

  const pickDays = (n: number) => {
    setDays(n);
    setDeadline(defaultDeadline(n));
  };
  const setDatePart = (value: string) => {
    const [y, m, d] = value.split('-').map(Number);
    const next = new Date(deadline);
    next.setFullYear(y, m - 1, d);
    setDeadline(next);
    setDays(null);
  };
  const setTimePart = (value: string) => {
    const [h, min] = value.split(':').map(Number);
    const next = new Date(deadline);
    next.setHours(h, min, 0, 0);
    setDeadline(next);
    setDays(null);
  };

  const submit = () => {
    switch (action) {
      case 'approve': {
        const labels = options.map((label) => label.trim());
        if (labels.length < 2) return toast('至少要有 2 个选项');
        if (labels.some((label) => !label)) return toast('选项不能为空');
        if (new Set(labels).size !== labels.length) return toast('选项不能重复');
        if (deadline.getTime() <= Date.now() + 3600_000) return toast('截止时间至少要在 1 小时以后');
        if (isCivilCodeRule(rule) && areasMissing > 0) return toast(`有 ${areasMissing} 户没有登记面积，请改选简单多数`);
        return onSubmit('approve', { options: labels, votingEndsAt: deadline.toISOString(), rule });
      }
      case 'reject':
        return needNote('理由') && onSubmit('reject', { reason: note.trim() });
      case 'implement': {
        if (!needNote('落实方案')) return;
        let ownerId: number | undefined;
        if (ownerMode === 'proposer') ownerId = consultation.proposer.id;
        if (ownerMode === 'other') {
          if (!/^\d+$/.test(ownerText.trim())) return toast('请填写负责人的用户编号');
          ownerId = Number(ownerText.trim());
        }
        return onSubmit('implement', { plan: note.trim(), ...(ownerId ? { ownerId } : {}) });
      }
      case 'progress':
        if (photos.uploading) return toast('照片还在上传，请稍候');
        if (photos.failed) return toast('有照片上传失败，请重试或删除');
        return needNote('进展') && onSubmit('progress', { note: note.trim(), photos: photos.urls });
      case 'complete':
        return needNote('落实情况') && onSubmit('complete', { summary: note.trim() });
      case 'hide':
        return needNote('隐藏理由') && onHide(note.trim());
    }
  };

  let body: ReactNode = null;
  switch (action) {
    case 'approve':
      body = (
        <>
          <Label>表决选项（第一项视为“赞成”）</Label>
          <View id="approve-options">
            {options.map((option, index) => (
              <View key={index} className={`approve-option approve-option-${index}`}>
                <Text className="approve-option__no">{index + 1}</Text>
                <View className="approve-option__input">
                  <Input
                    placeholder={`选项 ${index + 1}`}
                    value={option}
                    maxLength={OPTION_MAX}
                    onChange={(value) => setOptions((list) => list.map((item, i) => (i === index ? value : item)))}
                  />
                </View>
                {options.length > 2 ? (
                  <Text className="approve-option__remove" onClick={() => setOptions((list) => list.filter((_, i) => i !== index))}>
                    删除
                  </Text>
                ) : null}
              </View>
            ))}
          </View>
          {options.length < MAX_OPTIONS ? (
            <View id="approve-add-option" className="approve-add" onClick={() => setOptions((list) => [...list, ''])}>
              + 添加选项
            </View>
          ) : null}

          <Label>投票截止</Label>
          <Choices idPrefix="approve-days" small items={DEADLINE_DAYS.map((n) => ({ key: n, label: `${n}天` }))} selected={days} onSelect={pickDays} />
          <View id="approve-deadline" className="approve-deadline">
            <Picker mode="date" value={dateText(deadline)} start={dateText(new Date())} onChange={(event) => setDatePart(String(event.detail.value))}>
              <View className="approve-deadline__part approve-deadline-date">{dateText(deadline)}</View>
            </Picker>
            <Picker mode="time" value={timeText(deadline)} onChange={(event) => setTimePart(String(event.detail.value))}>
              <View className="approve-deadline__part approve-deadline-time">{timeText(deadline)}</View>
            </Picker>
            <Text className="muted">点击修改</Text>
          </View>

          <Label>表决规则</Label>
          <Choices idPrefix="approve-rule" small wide items={VOTING_RULES.map((key) => ({ key, label: VOTING_RULE_LABELS[key] }))} selected={rule} onSelect={setRule} />
          {isCivilCodeRule(rule) && areasMissing > 0 ? (
            <View id="approve-area-warning" className="approve-area-warning">
              表决范围内有 {areasMissing} 户没有登记专有部分面积，不能按《民法典》规则表决。请先在台账中补全面积，或选择简单多数。
            </View>
          ) : null}
          <View id="approve-rule-explain" className="muted action-form__hint">
            {VOTING_RULE_EXPLANATIONS[rule]}
          </View>
        </>
      );
      break;
    case 'reject':
      body = <Note id="action-note" value={note} onChange={setNote} placeholder="不予通过的理由，提议人和联名的邻居都能看到" />;
      break;
    case 'implement':
      body = (
        <>
          <Label>落实方案</Label>
          <Note id="action-note" value={note} onChange={setNote} max={2000} placeholder="怎么做、谁来做、什么时候完成、经费从哪里出" />
          <Label>负责人</Label>
          <Choices
            idPrefix="implement-owner"
            small
            items={[
              { key: 'me' as const, label: '我负责' },
              { key: 'proposer' as const, label: '提议人' },
              { key: 'other' as const, label: '其他人' },
            ]}
            selected={ownerMode}
            onSelect={setOwnerMode}
          />
          {ownerMode === 'proposer' ? <View className="muted action-form__hint">{consultation.proposer.nickname}</View> : null}
          {ownerMode === 'other' ? (
            <View id="implement-owner-id" className="action-form__input">
              <Input type="digit" placeholder="负责人的用户编号" value={ownerText} onChange={(value) => setOwnerText(value)} />
            </View>
          ) : null}
        </>
      );
      break;
    case 'progress':
      body = (
        <>
          <Note id="action-note" value={note} onChange={setNote} max={1000} placeholder="做到哪一步了，居民都能看到" />
          <Label>现场照片（可不拍）</Label>
          <PhotoPicker uploads={photos} idPrefix="progress" />
        </>
      );
      break;
    case 'complete':
      body = <Note id="action-note" value={note} onChange={setNote} max={2000} placeholder="落实的结果、花费和验收情况，向居民公示" />;
      break;
    case 'hide':
      body = <Note id="action-note" value={note} onChange={setNote} max={200} placeholder="隐藏的理由，居民会看到“该评论已被隐藏：理由”" />;
      break;
  }

  return (
    <Popup visible position="bottom" round closeable title={FORM_TITLES[action]} onClose={onClose} destroyOnClose>
      <View id={`form-${action}`} className="action-form">
        {body}
        <View className="action-form__submit">
          <Button id="action-submit" type="primary" size="large" block loading={busy} disabled={busy} onClick={() => void submit()}>
            确定{ACTION_BUTTON_LABELS[action]}
          </Button>
        </View>
      </View>
    </Popup>
  );
}
