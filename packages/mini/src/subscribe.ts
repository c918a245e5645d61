import Taro from '@tarojs/taro';
import { simulatedOpenid } from './auth.ts';
import { getMiniConfig } from './config.ts';
import { sendJson } from './http.ts';

/** wx.requestSubscribeMessage takes at most three templates per call. */
export const MAX_SUBSCRIBE_TEMPLATES = 3;

/**
 * Asks the user to allow one message per template (订阅消息); resolves with the template ids they accepted.
 * Never rejects for what the user or WeChat did: consent is optional, and a refused or failed dialog must not
 * stop the action that asked.
 *
 * In WeChat this must run straight from a tap, before anything is awaited: WeChat refuses the dialog outside
 * a user gesture. H5 has no dialog, so the simulator is told the user accepted every template — as it is
 * told about logins and payments — and WeChat's later sends through it then find a consent to use.
 */
export async function requestSubscribeMessage(templateIds: readonly string[]): Promise<string[]> {
  if (templateIds.length === 0) return [];
  if (templateIds.length > MAX_SUBSCRIBE_TEMPLATES) {
    throw new Error(`requestSubscribeMessage takes at most ${MAX_SUBSCRIBE_TEMPLATES} templates`);
  }
  if (process.env.TARO_ENV === 'h5') {
    const { wechatSimBase, appId } = getMiniConfig();
    const openid = simulatedOpenid();
    const granted = await Promise.all(
      templateIds.map((templateId) =>
        sendJson(`${wechatSimBase}/__control/subscriptions`, {
          method: 'POST',
          data: { appid: appId, openid, templateId, count: 1 },
        }).then(
          (res) => res.status >= 200 && res.status < 300,
          () => false,
        ),
      ),
    );
    return templateIds.filter((_, i) => granted[i]);
  }
  try {
    // Taro's typing demands Alipay's entityIds too; WeChat takes tmplIds alone.
    const option = { tmplIds: [...templateIds] } as Taro.requestSubscribeMessage.Option;
    const result = (await Taro.requestSubscribeMessage(option)) as unknown as Record<string, unknown>;
    return templateIds.filter((id) => result[id] === 'accept');
  } catch {
    // Closed, banned in settings, or an old WeChat without the API: the same as accepting nothing.
    return [];
  }
}
