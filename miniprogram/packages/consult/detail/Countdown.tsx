import { useEffect, useRef, useState } from 'react';
import { View, Text } from '@tarojs/components';

const pad = (n: number) => String(n).padStart(2, '0');

/** 距截止 3天 04:12:09; ticks each second and calls `onEnd` once when it reaches zero. */
export function Countdown({ endsAt, onEnd }: { endsAt: string; onEnd?: () => void }) {
  const end = new Date(endsAt).getTime();
  const [now, setNow] = useState(() => Date.now());
  const ended = useRef(false);

  useEffect(() => {
    ended.current = false;
    const timer = setInterval(() => setNow(Date.now()), 1000);
    return () => clearInterval(timer);
  }, [end]);

  const left = Math.max(0, Math.floor((end - now) / 1000));
  useEffect(() => {
    if (left === 0 && !ended.current) {
      ended.current = true;
      onEnd?.();
    }
  }, [left, onEnd]);

  if (Number.isNaN(end)) return null;
  if (left === 0) {
    return (
      <View id="consult-countdown" className="countdown is-ended">
        投票已截止
      </View>
    );
  }
  const days = Math.floor(left / 86400);
  const clock = `${pad(Math.floor((left % 86400) / 3600))}:${pad(Math.floor((left % 3600) / 60))}:${pad(left % 60)}`;
  return (
    <View id="consult-countdown" className={`countdown ${left < 3600 ? 'is-urgent' : ''}`}>
      <Text className="countdown__label">距截止</Text>
      {days > 0 ? <Text className="countdown__days">{days}天</Text> : null}
      <Text className="countdown__clock">{clock}</Text>
    </View>
  );
}
