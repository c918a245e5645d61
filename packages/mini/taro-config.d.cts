export interface LumiTaroConfigOptions {
  /** The app folder (the one holding config/, src/ and .env files). */
  appRoot: string;
  projectName: string;
  /** Port of `dev:h5` (customer 10086, staff 10087). */
  h5Port: number;
  /**
   * H5 only: a plain script inlined into index.html (the app's template reads
   * `htmlWebpackPlugin.options.earlyRequests`, and `apiBase`, the API of the build) that starts the first page's
   * API requests before the bundle has loaded.
   */
  earlyRequests?: string;
  /**
   * The H5 build renders with Preact (React's API through preact/compat; the app must depend on preact) instead
   * of react-dom; the weapp build keeps React and Taro's renderer.
   */
  preactOnH5?: boolean;
  /**
   * H5 only: Taro's HTML components (`h5.useHtmlComponents`; the app must depend on @tarojs/components-react) —
   * a View is a div, an Input the input itself — instead of its web components. The weapp build is unaffected.
   */
  htmlComponentsOnH5?: boolean;
  /**
   * H5 only: the app draws its own tab bar (`tabBar.custom`), so Taro's web-component tab bar and Stencil's
   * runtime are left out of the bundle (the router's import of them resolves to packages/mini/no-taro-tabbar.js).
   */
  customTabBarOnH5?: boolean;
}

/** Taro's config function (merge, env) → config; typed loosely so this package needs no @tarojs/cli. */
export declare function createTaroConfig(
  options: LumiTaroConfigOptions,
): (...args: unknown[]) => Promise<Record<string, unknown>>;
export declare const WORKSPACE_PACKAGES: string;
