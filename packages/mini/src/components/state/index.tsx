import { Button, Text, View } from '@tarojs/components';
import './index.scss';

export function Loading({ text = '加载中…' }: { text?: string }) {
  return (
    <View className="lumi-state lumi-state--loading" role="status">
      <Text className="lumi-state__text">{text}</Text>
    </View>
  );
}

export function ErrorState({ message, onRetry }: { message: string; onRetry?: () => void }) {
  return (
    <View className="lumi-state lumi-state--error" role="alert">
      <Text className="lumi-state__text">{message}</Text>
      {onRetry ? (
        <Button className="lumi-state__retry" size="mini" onClick={onRetry}>
          重试
        </Button>
      ) : null}
    </View>
  );
}

export function EmptyState({ text = '暂无数据' }: { text?: string }) {
  return (
    <View className="lumi-state lumi-state--empty">
      <Text className="lumi-state__text">{text}</Text>
    </View>
  );
}
