import Taro from '@tarojs/taro';

/**
 * The scene of the 小程序码 that opened `page`, still URL-encoded as WeChat hands it over: the page's own query
 * (onLoad's options.scene) first, else the launch options of a cold start at that page. Undefined when the page
 * was not opened from a code.
 */
export function codeScene(params: Record<string, string | undefined>, page: string): string | undefined {
  if (params.scene) return params.scene;
  try {
    const launch = Taro.getLaunchOptionsSync();
    const scene = (launch.query as Record<string, string | undefined> | undefined)?.scene;
    return launch.path?.replace(/^\//, '') === page && scene ? scene : undefined;
  } catch {
    // H5 builds without launch options: only the page's query counts.
    return undefined;
  }
}
