import { View, Text } from '@tarojs/components';
import './ComingSoon.scss';
import { pageClass } from '../hooks/useElderMode';

interface Props {
  id: string;
  title: string;
  description: string;
}

/** A real page whose feature is not built yet: says what will come here. */
export function ComingSoon({ id, title, description }: Props) {
  return (
    <View id={id} className={pageClass('page coming-soon')}>
      <View className="coming-soon__card card">
        <View className="coming-soon__badge">即将开放</View>
        <Text className="coming-soon__title">{title}</Text>
        <Text className="coming-soon__text muted">{description}</Text>
      </View>
    </View>
  );
}
