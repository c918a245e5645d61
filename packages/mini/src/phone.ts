import { getMiniConfig } from './config.ts';
import { ApiError, userMessage } from './errors.ts';
import { sendJson } from './http.ts';

/**
 * H5 and tests only: the code WeChat's getPhoneNumber button would hand the page, from the simulator, for the
 * phone the tester typed. A weapp build takes the code from the button's event and never calls this.
 */
export async function simulatedPhoneCode(phone: string): Promise<string> {
  const { wechatSimBase, appId } = getMiniConfig();
  const res = await sendJson(`${wechatSimBase}/__control/phone-codes`, {
    method: 'POST',
    data: { appid: appId, phone },
  });
  const code = (res.body as { code?: unknown } | null)?.code;
  if (res.status < 200 || res.status >= 300 || typeof code !== 'string') {
    throw new ApiError('WECHAT_UNAVAILABLE', userMessage('WECHAT_UNAVAILABLE'), res.status, res.body);
  }
  return code;
}
