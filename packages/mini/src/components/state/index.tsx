import { Button, Text, View } from '@tarojs/components';
import { navigateBackOr } from '../../navigation.ts';
import './index.scss';

export function Loading({ text = '加载中…' }: { text?: string }) {
  return (
    <View className="lumi-state lumi-state--loading" role="status">
      <Text className="lumi-state__text">{text}</Text>
    </View>
  );
}

/** Both mini-programs start at this page; where 返回 goes when there is no page to go back to. */
const HOME_PAGE = '/pages/home/index';

/**
 * A page that failed, with 重试 when it can try again, and always 返回: H5 has no back bar, and a page opened
 * from a scanned code or a message has nothing under it, so without the button it would be a dead end.
 * `onBack` replaces the default (back, or home when there is nothing to go back to).
 */
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
      <View className="lumi-state__actions">
        {onRetry ? (
          <Button className="lumi-state__retry" size="mini" onClick={onRetry}>
            重试
          </Button>
        ) : null}
        <Button className="lumi-state__back" size="mini" onClick={onBack ?? (() => void navigateBackOr(HOME_PAGE))}>
          返回
        </Button>
      </View>
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
