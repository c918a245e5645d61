// What @tarojs/router's H5 tab bar import resolves to when an app draws its own tab bar (`customTabBarOnH5` in
// taro-config.cjs): the router calls this only when `tabBar.custom` is off, so the web component, and Stencil's
// runtime that defines it, stay out of the first download.
export function defineCustomElementTaroTabbar() {
  throw new Error("Taro's H5 tab bar is not bundled: this app draws its own (tabBar.custom)");
}
