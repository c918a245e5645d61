import { View } from '@tarojs/components';
import type { ReactNode } from 'react';
import { isRetryable } from '../../errors.ts';
import { navigateBackOr } from '../../navigation.ts';
import { usePageTheme } from '../../page-theme.ts';
import { EmptyState, ErrorState, Loading } from '../state/index.tsx';
import './index.scss';

export interface PageShellProps {
  loading?: boolean;
  /**
   * Shown instead of the content; with a retry button when onRetry is given and trying again may help (no
   * answer, a server failure), never for a 4xx such as a bill that is not hers.
   */
  error?: { message: string; status?: number } | null;
  onRetry?: () => void;
  /**
   * Where 返回 on the error goes when the page has nothing under it on the stack (opened from a message or a
   * reloaded H5 tab). Every page but the tab pages gives one, so no error is a dead end.
   */
  backTo?: string;
  /** Shown instead of the content when true. */
  empty?: boolean;
  emptyText?: string;
  className?: string;
  children?: ReactNode;
}

/** The frame of every page: one place decides how loading, failure and "nothing here" look. */
export function PageShell({ loading, error, onRetry, backTo, empty, emptyText, className, children }: PageShellProps) {
  const theme = usePageTheme();
  let body: ReactNode = children;
  if (loading) body = <Loading />;
  else if (error)
    body = (
      <ErrorState
        message={error.message}
        onRetry={onRetry && isRetryable(error) ? onRetry : undefined}
        onBack={backTo ? () => void navigateBackOr(backTo) : undefined}
      />
    );
  else if (empty) body = <EmptyState text={emptyText} />;
  return (
    <View className={className ? `lumi-page ${className}` : 'lumi-page'} style={theme?.style}>
      {body}
    </View>
  );
}
