import Taro from '@tarojs/taro';
import type { CustomerSession, StaffPasswordLogin, StaffSession } from '@lumi/shared';
import { getMiniConfig } from './config.ts';
import { ApiError, userMessage } from './errors.ts';
import { sendJson } from './http.ts';
import { LOGIN_PAGE, request, showErrorToast } from './request.ts';
import { clearSession, readSession, saveSession } from './session.ts';

/** H5 only: who the simulator was told this browser is, so later stand-ins for WeChat (subscribe consents) agree. */
const SIMULATED_OPENID_KEY = 'lumi.simulated-openid';

/** The openid the H5 build last logged in as through the simulator (the demo openid before any login). */
export function simulatedOpenid(): string {
  const stored: unknown = Taro.getStorageSync(SIMULATED_OPENID_KEY);
  return typeof stored === 'string' && stored ? stored : getMiniConfig().demoOpenid;
}

/**
 * A one-time code for /auth/customer/wechat. In WeChat it comes from wx.login; in H5 there is no WeChat,
 * so the loopback simulator mints one for `openid` (the simulator then answers the API's jscode2session
 * for that code exactly as WeChat would).
 */
export async function getWechatLoginCode(openid?: string): Promise<string> {
  if (process.env.TARO_ENV === 'h5') {
    const { wechatSimBase, appId, demoOpenid } = getMiniConfig();
    const who = openid || demoOpenid;
    const res = await sendJson(`${wechatSimBase}/__control/login-codes`, {
      method: 'POST',
      data: { appid: appId, openid: who },
    });
    const code = (res.body as { code?: unknown } | null)?.code;
    if (res.status !== 200 || typeof code !== 'string') {
      throw new ApiError('WECHAT_LOGIN_FAILED', userMessage('WECHAT_LOGIN_FAILED'), res.status, res.body);
    }
    Taro.setStorageSync(SIMULATED_OPENID_KEY, who);
    return code;
  }
  try {
    const { code } = await Taro.login();
    if (!code) throw new Error('wx.login returned no code');
    return code;
  } catch (cause) {
    throw new ApiError('WECHAT_LOGIN_FAILED', userMessage('WECHAT_LOGIN_FAILED'), 0, cause);
  }
}

export interface LoginOptions {
  /** Show a toast on failure (default). */
  toast?: boolean;
}

/** WeChat login for the customer app: code → API session, stored for the request wrapper. */
export async function loginCustomerWithWechat(
  options: LoginOptions & { openid?: string } = {},
): Promise<CustomerSession> {
  let code: string;
  try {
    code = await getWechatLoginCode(options.openid);
  } catch (error) {
    if (options.toast !== false && error instanceof ApiError) showErrorToast(error);
    throw error;
  }
  const session = await request<CustomerSession>('/auth/customer/wechat', {
    method: 'POST',
    data: { tenant: getMiniConfig().tenant, code },
    auth: false,
    toast: options.toast,
  });
  saveSession(session);
  return session;
}

/** Phone + password login for the staff app. */
export async function loginStaffWithPassword(
  credentials: StaffPasswordLogin,
  options: LoginOptions = {},
): Promise<StaffSession> {
  const session = await request<StaffSession>('/auth/staff/login', {
    method: 'POST',
    data: credentials,
    auth: false,
    toast: options.toast,
  });
  saveSession(session);
  return session;
}

/**
 * Revokes the refresh token and returns to the login page. The local session is cleared even when the
 * API cannot be reached: a user who taps 退出登录 must end up logged out.
 */
export async function logout(): Promise<void> {
  const session = readSession();
  clearSession();
  if (session) {
    await request('/auth/logout', {
      method: 'POST',
      data: { refreshToken: session.refreshToken },
      auth: false,
      toast: false,
    }).catch(() => undefined);
  }
  await Taro.reLaunch({ url: LOGIN_PAGE });
}
