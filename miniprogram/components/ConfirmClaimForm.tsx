import { useState } from 'react';
import { View, Text } from '@tarojs/components';
import Taro from '@tarojs/taro';
import { Button, InputNumber, Popup, TextArea } from '@nutui/nutui-react-taro';
import { CLAIM_FLAG_LABELS, creditableMinutes, toHours, toMinutes, volunteerPoints, type TaskFunding, type TimebankClaim } from '@linli/shared';
import { hoursText } from '../services/timebank';
import { formatTime } from '../utils/time';
import { Choices } from './Choices';
import './ConfirmClaimForm.scss';

const REASON_MIN = 2;

interface Props {
  claim: TimebankClaim;
  /** Who pays the task's hours: points come only with the community's. */
  fundedBy: TaskFunding;
  busy: boolean;
  onClose: () => void;
  onSubmit: (body: { hours: number; reason?: string }) => void;
}

/** The hours attendance earns: the attended time, at most the task's hours; 0 without a check-out. */
export function earnedHours(claim: Pick<TimebankClaim, 'attendedHours' | 'hours'>): number {
  return claim.attendedHours === null ? 0 : toHours(creditableMinutes(toMinutes(claim.attendedHours), toMinutes(claim.hours)));
}

const place = (meters: number | null, located: boolean) => (meters !== null ? `，距任务地点 ${meters} 米` : located ? '，已定位' : '，未定位');

/**
 * 确认到场: what the volunteer's phone recorded (check-in, check-out, where), the attended time and
 * what looks odd; the hours to credit, the attended time by default; a reason, required when the
 * hours differ from it (the volunteer reads it, and it is kept in the audit log).
 */
export function ConfirmClaimForm({ claim, fundedBy, busy, onClose, onSubmit }: Props) {
  const earned = earnedHours(claim);
  const [hours, setHours] = useState(earned > 0 ? earned : claim.hours);
  const [reason, setReason] = useState('');
  const adjusted = hours !== earned;
  const points = volunteerPoints(fundedBy, true, toMinutes(hours));
  const quick = [
    ...(earned > 0 ? [{ key: 'attended', label: `按签到 ${hoursText(earned)}`, hours: earned }] : []),
    ...(earned !== claim.hours ? [{ key: 'full', label: `全程 ${hoursText(claim.hours)}`, hours: claim.hours }] : []),
  ];

  const submit = () => {
    if (!(hours >= 0.1 && hours <= claim.hours)) {
      void Taro.showToast({ title: `计入时长须在 0.1 至 ${claim.hours} 小时之间`, icon: 'none' });
      return;
    }
    if (adjusted && reason.trim().length < REASON_MIN) {
      void Taro.showToast({ title: '计入时长与签到记录不同，请写明理由', icon: 'none' });
      return;
    }
    onSubmit(adjusted ? { hours, reason: reason.trim() } : { hours });
  };

  return (
    <Popup visible position="bottom" round closeable title={`确认 ${claim.volunteer.nickname} 的服务时长`} onClose={onClose} destroyOnClose>
      <View id="confirm-form" className="confirm-form">
        <View className="confirm-form__record">
          <View>
            <Text className="muted">签到</Text>
            {claim.checkedInAt ? `${formatTime(claim.checkedInAt)}${place(claim.checkInDistanceMeters, claim.checkInLocation !== null)}` : '无'}
          </View>
          <View>
            <Text className="muted">签退</Text>
            {claim.checkedOutAt ? `${formatTime(claim.checkedOutAt)}${place(claim.checkOutDistanceMeters, claim.checkOutLocation !== null)}` : '未签退'}
          </View>
          <View id="confirm-form-attended" className="confirm-form__attended">
            <Text className="muted">到场</Text>
            {claim.attendedHours === null ? '无法计算（未签退）' : `${hoursText(claim.attendedHours)}（任务每人 ${hoursText(claim.hours)}）`}
          </View>
        </View>
        {claim.flags.length > 0 ? (
          <View id="confirm-form-flags" className="confirm-form__flags">
            {claim.flags.map((flag) => (
              <Text key={flag} className={`mark mark--warning claim-flag-${flag}`}>
                {CLAIM_FLAG_LABELS[flag]}
              </Text>
            ))}
          </View>
        ) : null}

        <Text className="confirm-form__label">计入时长（小时）</Text>
        {quick.length > 0 ? (
          <Choices idPrefix="confirm-hours" small items={quick.map((q) => ({ key: q.key, label: q.label }))} selected={quick.find((q) => q.hours === hours)?.key ?? null} onSelect={(key) => setHours(quick.find((q) => q.key === key)!.hours)} />
        ) : null}
        <View id="confirm-form-hours" className="confirm-form__hours">
          <InputNumber type="digit" value={hours} min={0.1} max={claim.hours} step={0.5} digits={1} onChange={(value) => setHours(Math.round(Number(value) * 10) / 10)} />
        </View>

        {adjusted ? (
          <>
            <Text className="confirm-form__label">调整理由（必填，志愿者可见，记入审计日志）</Text>
            <View id="confirm-form-reason" className="confirm-form__reason">
              <TextArea placeholder="如：现场核实全程在岗，忘记签退" value={reason} maxLength={200} showCount rows={2} autoSize onChange={setReason} />
            </View>
          </>
        ) : null}

        <View id="confirm-form-summary" className="confirm-form__summary muted">
          发放 {hoursText(hours)}
          {points > 0 ? `和 ${points} 积分` : fundedBy === 'resident' ? '（居民求助只转移时长，不发积分）' : ''}
          {adjusted ? `，与签到记录（${hoursText(earned)}）不同` : ''}
        </View>
        <View className="confirm-form__submit">
          <Button id="confirm-submit" type="primary" size="large" block loading={busy} disabled={busy} onClick={submit}>
            确认发放
          </Button>
        </View>
      </View>
    </Popup>
  );
}
