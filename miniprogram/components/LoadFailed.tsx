import { View, Text } from '@tarojs/components';
import { Button } from '@nutui/nutui-react-taro';

interface Props {
  onRetry: () => void;
}

export function LoadFailed({ onRetry }: Props) {
  return (
    <View id="load-failed" className="card load-failed">
      <Text className="card-title">加载失败</Text>
      <View className="muted">请检查网络后重试。</View>
      <View className="block-button">
        <Button type="primary" size="large" block onClick={onRetry}>
          重新加载
        </Button>
      </View>
    </View>
  );
}
