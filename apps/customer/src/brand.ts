import Taro from '@tarojs/taro';

/**
 * The salon's brand colour, applied where each build allows: the tab bar in both builds, and the `--brand` CSS
 * variable the member screens use on H5 (a weapp page cannot set a variable for all pages; its stylesheets keep
 * the default).
 */
let applied: string | null = null;

export function applyBrand(color: string): void {
  if (applied === color) return;
  applied = color;
  // Fails harmlessly on a page without a tab bar.
  void Taro.setTabBarStyle({ selectedColor: color }).catch(() => undefined);
  if (process.env.TARO_ENV === 'h5' && typeof document !== 'undefined') {
    document.documentElement.style.setProperty('--brand', color);
  }
}
