import { Text, View } from '@tarojs/components';
import Taro, { useRouter } from '@tarojs/taro';
import { useState } from 'react';
import {
  ActionButton,
  ApiError,
  codeScene,
  formatFen,
  InlineError,
  navigateBackOr,
  PageShell,
  payAndConfirm,
  useAsync,
} from '@lumi/mini';
import { COUNTER_PAYMENT_PAGE, outTradeNoOfScene } from '@lumi/shared';
import { HOME_PAGE } from '../../routes.ts';
import { getPaymentOrder } from '../../services/payments.ts';
import { topUpErrorMessage } from '../top-up/top-up.ts';
import './index.scss';

type Phase = 'idle' | 'paying' | 'confirming' | 'paid';

/**
 * 到店付款: a top-up the beautician opened at the counter, paid here on the customer's own phone. She reaches this
 * page by scanning the 小程序码 the staff phone shows (scene `pay=<outTradeNo>`), or from a link with the order
 * (?outTradeNo=); the order is hers, so only she can pay it.
 */
export default function CounterPaymentPage() {
  const { params } = useRouter();
  const outTradeNo = params.outTradeNo ?? outTradeNoOfScene(codeScene(params, COUNTER_PAYMENT_PAGE)) ?? '';
  const { data: order, error, loading, reload } = useAsync(() => getPaymentOrder(outTradeNo), [outTradeNo]);
  const [phase, setPhase] = useState<Phase>('idle');
  const [payError, setPayError] = useState<string | null>(null);

  async function pay() {
    if (!order || phase !== 'idle') return;
    setPhase('paying');
    setPayError(null);
    try {
      await payAndConfirm(order, getPaymentOrder, undefined, { onConfirming: () => setPhase('confirming') });
      setPhase('paid');
      void Taro.showToast({ title: '付款成功', icon: 'success', duration: 2000 });
    } catch (cause) {
      setPhase('idle');
      if (cause instanceof ApiError && cause.code === 'PAYMENT_CANCELLED') return;
      setPayError(topUpErrorMessage(cause));
    }
  }

  const paid = phase === 'paid' || order?.state === 'SUCCESS' || order?.state === 'REFUND';
  return (
    <PageShell loading={loading} error={error} onRetry={reload} backTo={HOME_PAGE} className="counter-pay">
      {order ? (
        <View className="counter-pay__card">
          <Text className="counter-pay__title">{order.description}</Text>
          <Text className="counter-pay__amount">{formatFen(order.amountFen)}</Text>
          {paid ? (
            <>
              <Text className="counter-pay__done">付款成功，已存入您的储值</Text>
              <ActionButton type="primary" onClick={() => void navigateBackOr(HOME_PAGE)}>
                查看余额
              </ActionButton>
            </>
          ) : order.state === 'CLOSED' || !order.requestPayment ? (
            <Text className="counter-pay__closed">该付款已失效，请让店员重新生成付款码</Text>
          ) : (
            <ActionButton type="primary" disabled={phase !== 'idle'} onClick={() => void pay()}>
              {phase === 'confirming'
                ? '正在确认支付结果…'
                : phase === 'paying'
                  ? '支付中…'
                  : `微信支付 ${formatFen(order.amountFen)}`}
            </ActionButton>
          )}
          <InlineError className="counter-pay__error" message={payError} />
        </View>
      ) : null}
    </PageShell>
  );
}
