import { useDidShow } from '@tarojs/taro';
import { useSyncExternalStore } from 'react';

/**
 * The look an app gives every page frame (PageShell): CSS variables on the page root, and what to redo each time
 * a page shows (a weapp page keeps its own navigation bar colour). The customer app sets it from the salon's brand;
 * the staff app never does. One store for all pages: in a weapp each page is its own React root, so a context
 * provider around the app would not reach them.
 */
export interface PageTheme {
  style: Record<string, string>;
  onShow?: () => void;
}

let theme: PageTheme | null = null;
const listeners = new Set<() => void>();

export function setPageTheme(next: PageTheme | null): void {
  theme = next;
  for (const listener of listeners) listener();
}

function subscribe(listener: () => void): () => void {
  listeners.add(listener);
  return () => listeners.delete(listener);
}

/** The theme now, re-rendering when it changes: for frames that are not pages (the customer app's tab bar). */
export function useTheme(): PageTheme | null {
  return useSyncExternalStore(subscribe, () => theme);
}

/** The theme now, re-rendering when it changes; applies its onShow each time the page shows. */
export function usePageTheme(): PageTheme | null {
  const current = useTheme();
  useDidShow(() => theme?.onShow?.());
  return current;
}
