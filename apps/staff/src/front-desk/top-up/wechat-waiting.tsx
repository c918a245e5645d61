import { Image, Text, View } from '@tarojs/components';
import { useEffect, useState } from 'react';
import { ActionButton, ApiError, formatFen, useAsync } from '@lumi/mini';
import type { PaymentOrder } from '@lumi/shared';
import { getCounterPaymentCode, getWechatTopUp } from '../../services/counter.ts';

/** How often the staff screen asks whether WeChat has confirmed; the API asks WeChat itself when it is late. */
export const PAYMENT_POLL_MS = 2_000;

/**
 * 等待顾客付款: the 小程序码 (drawn by WeChat for this order) the customer scans to open the payment page of the
 * customer mini-program, while the screen follows the order until WeChat's notification has credited her wallet.
 */
export function WechatWaiting({
  customerId,
  order,
  onPaid,
  onCancel,
  pollMs = PAYMENT_POLL_MS,
}: {
  customerId: string;
  order: PaymentOrder;
  onPaid: (order: PaymentOrder) => void;
  onCancel: () => void;
  pollMs?: number;
}) {
  const [state, setState] = useState(order.state);
  const [problem, setProblem] = useState<string | null>(null);
  const code = useAsync(() => getCounterPaymentCode(customerId, order.outTradeNo), [customerId, order.outTradeNo]);

  useEffect(() => {
    let stopped = false;
    let timer: ReturnType<typeof setTimeout> | undefined;
    const poll = async () => {
      try {
        const latest = await getWechatTopUp(customerId, order.outTradeNo);
        if (stopped) return;
        setState(latest.state);
        setProblem(null);
        if (latest.state === 'SUCCESS') return onPaid(latest);
        if (latest.state === 'CLOSED') return;
      } catch (error) {
        if (stopped) return;
        setProblem(error instanceof ApiError ? error.message : '网络不稳定，正在重试…');
      }
      timer = setTimeout(() => void poll(), pollMs);
    };
    timer = setTimeout(() => void poll(), pollMs);
    return () => {
      stopped = true;
      if (timer) clearTimeout(timer);
    };
  }, [customerId, order.outTradeNo, onPaid, pollMs]);

  const closed = state === 'CLOSED';
  return (
    <View className="lumi-page fd fd-wechat">
      <View className="fd__card fd__center">
        <Text className="fd__title">请顾客用微信扫码付款</Text>
        <Text className="fd__big fd-wechat__amount">{formatFen(order.amountFen)}</Text>
        <Text className="fd__muted">{order.description}</Text>
        {closed ? null : (
          <View className="fd-wechat__code">
            {code.data ? (
              <Image
                className="fd-wechat__image"
                src={code.data.imageDataUrl}
                mode="aspectFit"
                ariaLabel="付款小程序码"
              />
            ) : code.error ? (
              <View className="fd__center">
                <Text className="fd__error">{code.error.message}</Text>
                <ActionButton onClick={code.reload}>重新获取小程序码</ActionButton>
              </View>
            ) : (
              <Text className="fd__muted">正在生成小程序码…</Text>
            )}
          </View>
        )}
        <Text className={`fd-wechat__state${closed ? ' fd__error' : ''}`}>
          {closed ? '订单已关闭，未收到付款' : '等待顾客付款… 付款到账后自动显示新余额'}
        </Text>
        {problem ? <Text className="fd__muted">{problem}</Text> : null}
        <Text className="fd__muted">单号 {order.outTradeNo}</Text>
      </View>
      <View className="fd__submit">
        <ActionButton onClick={onCancel}>{closed ? '重新选择' : '换其他方式收款'}</ActionButton>
      </View>
    </View>
  );
}
