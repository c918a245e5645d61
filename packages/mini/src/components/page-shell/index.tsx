import { View } from '@tarojs/components';
import type { ReactNode } from 'react';
import { EmptyState, ErrorState, Loading } from '../state/index.tsx';
import './index.scss';

export interface PageShellProps {
  loading?: boolean;
  /** Shown instead of the content, with a retry button when onRetry is given. */
  error?: { message: string } | null;
  onRetry?: () => void;
  /** Shown instead of the content when true. */
  empty?: boolean;
  emptyText?: string;
  className?: string;
  children?: ReactNode;
}

/** The frame of every page: one place decides how loading, failure and "nothing here" look. */
export function PageShell({ loading, error, onRetry, empty, emptyText, className, children }: PageShellProps) {
  let body: ReactNode = children;
  if (loading) body = <Loading />;
  else if (error) body = <ErrorState message={error.message} onRetry={onRetry} />;
  else if (empty) body = <EmptyState text={emptyText} />;
  return <View className={className ? `lumi-page ${className}` : 'lumi-page'}>{body}</View>;
}
