import Taro from '@tarojs/taro';

/**
 * Back to the page that opened this one, or to `fallback` when there is none: a page opened straight from a
 * share card, a scanned code or (on H5) a reloaded tab is the only page on the stack, where navigateBack fails.
 */
export async function navigateBackOr(fallback: string): Promise<void> {
  if (Taro.getCurrentPages().length > 1) {
    await Taro.navigateBack();
    return;
  }
  await Taro.reLaunch({ url: fallback });
}
