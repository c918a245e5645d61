import Taro from '@tarojs/taro';
import { getMiniConfig } from './config.ts';
import { ApiError, userMessage } from './errors.ts';
import { sendJson } from './http.ts';

/** What the API returns for a JSAPI order, passed unchanged to wx.requestPayment. */
export interface PaymentParams {
  timeStamp: string;
  nonceStr: string;
  /** "prepay_id=…" */
  package: string;
  signType: 'RSA';
  paySign: string;
}

/**
 * Lets the user pay. Resolving means only that the user finished the payment sheet: the order is paid
 * when the API says so (WeChat's notify or an order query), so callers poll the order afterwards.
 * Rejects with PAYMENT_CANCELLED or PAYMENT_FAILED.
 */
export async function requestPayment(params: PaymentParams): Promise<void> {
  if (process.env.TARO_ENV === 'h5') {
    // H5 has no payment sheet: the simulator checks paySign as WeChat would and "pays".
    const { wechatSimBase, appId } = getMiniConfig();
    const res = await sendJson(`${wechatSimBase}/__control/pay`, {
      method: 'POST',
      data: {
        appid: appId,
        timeStamp: params.timeStamp,
        nonceStr: params.nonceStr,
        package: params.package,
        signType: params.signType,
        paySign: params.paySign,
      },
    });
    if (res.status >= 200 && res.status < 300) return;
    throw new ApiError('PAYMENT_FAILED', userMessage('PAYMENT_FAILED'), res.status, res.body);
  }
  try {
    await Taro.requestPayment({ ...params });
  } catch (cause) {
    // wx.requestPayment reports a user cancel as errMsg "requestPayment:fail cancel".
    const errMsg = (cause as { errMsg?: unknown } | null)?.errMsg;
    const code = typeof errMsg === 'string' && errMsg.includes('cancel') ? 'PAYMENT_CANCELLED' : 'PAYMENT_FAILED';
    throw new ApiError(code, userMessage(code), 0, cause);
  }
}
