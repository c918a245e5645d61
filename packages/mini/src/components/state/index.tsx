import { Button, Text, View } from '@tarojs/components';
import './index.scss';

export function Loading({ text = '加载中…' }: { text?: string }) {
  return (
    <View className="lumi-state lumi-state--loading" role="status">
      <Text className="lumi-state__text">{text}</Text>
    </View>
  );
}

/** A failure in place of the page: 重试 when trying again may help, 返回 when there is somewhere to go back to. */
export function ErrorState({
  message,
  onRetry,
  onBack,
}: {
  message: string;
  onRetry?: () => void;
  onBack?: () => void;
}) {
  return (
    <View className="lumi-state lumi-state--error" role="alert">
      <Text className="lumi-state__text">{message}</Text>
      {onRetry ? (
        <Button className="lumi-state__retry" size="mini" onClick={onRetry}>
          重试
        </Button>
      ) : null}
      {onBack ? (
        <Button className="lumi-state__back" size="mini" onClick={onBack}>
          返回
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

/**
 * The error of a form or an action, shown under it and announced (role="alert"); nothing when there is none.
 * `className` is the page's own style for it.
 */
export function InlineError({ message, className }: { message: string | null | undefined; className: string }) {
  return message ? (
    <View className={className} role="alert">
      <Text>{message}</Text>
    </View>
  ) : null;
}
