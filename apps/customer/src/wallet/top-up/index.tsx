import { Input, Text, View } from '@tarojs/components';
import Taro from '@tarojs/taro';
import { useState } from 'react';
import {
  ActionButton,
  ApiError,
  formatCount,
  formatFen,
  InlineError,
  navigateBackOr,
  PageShell,
  useAsync,
} from '@lumi/mini';
import type { TopUpPaymentRequest } from '@lumi/shared';
import { HOME_PAGE } from '../../routes.ts';
import { getTopUpPlans, type TopUpPlan } from '../../services/wallet.ts';
import { createTopUpPayer, parseTopUpAmount, topUpErrorMessage } from './top-up.ts';
import './index.scss';

type Choice = { kind: 'plan'; plan: TopUpPlan } | { kind: 'custom' };
type Phase = 'idle' | 'paying' | 'confirming';

export default function TopUpPage() {
  const { data: plans, error, loading, reload } = useAsync(getTopUpPlans);
  const [choice, setChoice] = useState<Choice | null>(null);
  const [amountText, setAmountText] = useState('');
  const [amountError, setAmountError] = useState<string | null>(null);
  const [phase, setPhase] = useState<Phase>('idle');
  const [payError, setPayError] = useState<string | null>(null);
  // One payer per visit: it remembers the current attempt's Idempotency-Key across retries.
  const [payer] = useState(() => createTopUpPayer());

  const busy = phase !== 'idle';
  const custom = choice?.kind === 'custom' ? parseTopUpAmount(amountText) : null;
  const payFen = choice?.kind === 'plan' ? choice.plan.payFen : custom?.ok ? custom.amountFen : null;
  const payDisabled = busy || choice === null;

  function choose(next: Choice) {
    if (busy) return;
    setChoice(next);
    setAmountError(null);
    setPayError(null);
  }

  async function handlePay() {
    if (!choice || busy) return;
    let body: TopUpPaymentRequest;
    if (choice.kind === 'plan') {
      body = { planId: choice.plan.id };
    } else {
      const check = parseTopUpAmount(amountText);
      if (!check.ok) {
        setAmountError(check.message);
        return;
      }
      body = { amountFen: check.amountFen };
    }
    setPhase('paying');
    setPayError(null);
    try {
      await payer.pay(body, { onConfirming: () => setPhase('confirming') });
      void Taro.showToast({ title: '充值成功', icon: 'success', duration: 2000 });
      // The wallet refreshes itself when it is shown again (useRefreshOnReturn).
      await navigateBackOr(HOME_PAGE);
    } catch (cause) {
      setPhase('idle');
      // Closing WeChat's payment sheet is a choice, not an error: say so briefly and stay on the page.
      if (cause instanceof ApiError && cause.code === 'PAYMENT_CANCELLED') {
        void Taro.showToast({ title: cause.message, icon: 'none', duration: 2000 });
        return;
      }
      setPayError(topUpErrorMessage(cause));
    }
  }

  return (
    <PageShell loading={loading} error={error} onRetry={reload} backTo={HOME_PAGE} className="top-up">
      <Text className="top-up__title">选择充值金额</Text>
      <View className="top-up__plans">
        {(plans ?? []).map((plan) => (
          <View
            key={plan.id}
            className={choice?.kind === 'plan' && choice.plan.id === plan.id ? 'plan plan--selected' : 'plan'}
            onClick={() => choose({ kind: 'plan', plan })}
          >
            <Text className="plan__name">{plan.name}</Text>
            <Text className="plan__pay">{formatFen(plan.payFen)}</Text>
            <Text className="plan__gift">{planGift(plan)}</Text>
          </View>
        ))}
        <View
          className={choice?.kind === 'custom' ? 'plan plan--custom plan--selected' : 'plan plan--custom'}
          onClick={() => choose({ kind: 'custom' })}
        >
          <Text className="plan__name">其他金额</Text>
          <Text className="plan__gift">自动享受可达到的最高档赠送</Text>
        </View>
      </View>

      {choice?.kind === 'custom' ? (
        <View className="top-up__custom">
          <Text className="top-up__currency">¥</Text>
          <Input
            className="top-up__amount"
            type="digit"
            value={amountText}
            placeholder="输入充值金额（元）"
            maxlength={12}
            onInput={(event) => {
              setAmountText(event.detail.value);
              setAmountError(null);
            }}
          />
        </View>
      ) : null}
      <InlineError className="top-up__error" message={amountError} />

      {/* No `loading` spinner: the label says what is happening (see ActionButton). */}
      <ActionButton className="top-up__pay" type="primary" disabled={payDisabled} onClick={() => void handlePay()}>
        {phase === 'confirming'
          ? '正在确认支付结果…'
          : phase === 'paying'
            ? '支付中…'
            : payFen !== null
              ? `微信支付 ${formatFen(payFen)}`
              : '微信支付'}
      </ActionButton>
      <InlineError className="top-up__error" message={payError} />
      <Text className="top-up__note">充值金额计入本金，赠送金额计入赠送金；到账后可在明细中查看。</Text>
    </PageShell>
  );
}

/** "送 ¥200.00 · 送 500 积分" */
function planGift(plan: TopUpPlan): string {
  const gifts = [
    plan.bonusFen > 0 ? `送 ${formatFen(plan.bonusFen)}` : '',
    plan.bonusPoints > 0 ? `送 ${formatCount(plan.bonusPoints)} 积分` : '',
    plan.giftPackagePlanId ? '赠次卡' : '',
  ].filter(Boolean);
  return gifts.length > 0 ? gifts.join(' · ') : '无赠送';
}
