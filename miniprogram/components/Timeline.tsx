import { View, Text } from '@tarojs/components';
import { PhotoGrid } from './PhotoGrid';
import { formatTime } from '../utils/time';

export interface TimelineStep {
  id: number;
  /** The step's code: a class (`event-<action>`) for styling and tests, never shown. */
  action: string;
  /** What happened, in words (through the domain's label table). */
  label: string;
  createdAt: string;
  actor: { nickname: string } | null;
  note?: string | null;
  photos?: string[];
}

/** A case's history, newest first: what happened, when, by whom, with its note and photos. */
export function Timeline({ id, steps }: { id: string; steps: TimelineStep[] }) {
  return (
    <View id={id} className="card timeline">
      {steps.map((step, index) => (
        <View key={step.id} className={`timeline__item timeline-event event-${step.action} ${index === 0 ? 'is-latest' : ''}`}>
          <View className="timeline__dot" />
          <View className="timeline__body">
            <View className="timeline__head">
              <Text className="timeline__action">{step.label}</Text>
              <Text className="timeline__time muted">{formatTime(step.createdAt)}</Text>
            </View>
            <View className="timeline__actor muted">{step.actor ? step.actor.nickname : '系统'}</View>
            {step.note ? <View className="timeline__note">{step.note}</View> : null}
            <PhotoGrid block="detail-photos" urls={step.photos ?? []} className="timeline__photos" />
          </View>
        </View>
      ))}
    </View>
  );
}
