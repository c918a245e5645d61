import { Input, Text, View } from '@tarojs/components';
import { useRouter } from '@tarojs/taro';
import { useRef, useState } from 'react';
import {
  ActionButton,
  ApiError,
  createAttemptKeys,
  formatFen,
  InlineError,
  navigateBackOr,
  PageShell,
  parseYuanInput,
  useAsync,
} from '@lumi/mini';
import type { StaffProfile, TopUpPlan, TopUpRequest, TransferResult } from '@lumi/shared';
import { FRONT_DESK_PAGE } from '../../routes.ts';
import { getCustomer } from '../../services/customers.ts';
import { listTopUpPlans, topUp } from '../../services/front-desk.ts';
import { getMyStaffProfile } from '../../services/profile.ts';
import { MethodChips, StoreChips } from '../store-chips.tsx';
import '../front-desk.scss';

async function loadTopUp(customerId: string) {
  const [me, customer, plans] = await Promise.all([getMyStaffProfile(), getCustomer(customerId), listTopUpPlans()]);
  return { me, customer, plans: [...plans].sort((a, b) => a.payFen - b.payFen) };
}

const METHODS = ['cash', 'card'] as const;

/** 充值 at the counter: one of the tenant's offers (充值送) or any amount, in cash or by card. */
export default function TopUpPage() {
  const customerId = useRouter().params.customerId ?? '';
  const { data, error, loading, reload } = useAsync(() => loadTopUp(customerId), [customerId]);
  const [planId, setPlanId] = useState<string | null>(null);
  const [amountText, setAmountText] = useState('');
  const [method, setMethod] = useState<(typeof METHODS)[number]>('cash');
  const [storeId, setStoreId] = useState<string | null>(null);
  const [busy, setBusy] = useState(false);
  const [formError, setFormError] = useState<string | null>(null);
  const [receipt, setReceipt] = useState<TransferResult | null>(null);
  const keys = useRef(createAttemptKeys('topup')).current;

  const plan: TopUpPlan | undefined = data?.plans.find((p) => p.id === planId);

  async function submit(me: StaffProfile) {
    if (busy) return;
    let amountFen: number;
    if (plan) amountFen = plan.payFen;
    else {
      const parsed = parseYuanInput(amountText);
      if (!parsed.ok) return setFormError(parsed.message);
      if (parsed.fen <= 0) return setFormError('请选择充值方案或输入金额');
      amountFen = parsed.fen;
    }
    const body: TopUpRequest = {
      storeId: storeId ?? me.stores[0]?.id ?? '',
      amountFen,
      method,
      ...(plan ? { planId: plan.id } : {}),
    };
    setBusy(true);
    setFormError(null);
    try {
      setReceipt(await topUp(customerId, body, keys.keyFor(body)));
      keys.finish();
    } catch (failure) {
      setFormError(failure instanceof ApiError ? failure.message : '充值失败，请重试');
    } finally {
      setBusy(false);
    }
  }

  if (receipt?.wallet) {
    const { wallet } = receipt;
    return (
      <View className="lumi-page fd">
        <View className="fd__card fd__receipt">
          <Text className="fd__title fd__ok">充值成功</Text>
          <View className="fd__row">
            <Text>实收</Text>
            <Text className="fd__amount fd__receipt-paid">{formatFen(Number(receipt.details.paidFen ?? 0))}</Text>
          </View>
          <View className="fd__row">
            <Text>赠送</Text>
            <Text className="fd__amount fd__receipt-bonus">{formatFen(Number(receipt.details.bonusFen ?? 0))}</Text>
          </View>
          <View className="fd__row">
            <Text>储值余额</Text>
            <Text className="fd__big fd__receipt-total">{formatFen(wallet.totalFen)}</Text>
          </View>
          <View className="fd__row">
            <Text className="fd__muted">本金 {formatFen(wallet.principalFen)}</Text>
            <Text className="fd__muted">赠送金 {formatFen(wallet.bonusFen)}</Text>
          </View>
          <View className="fd__row">
            <Text>积分</Text>
            <Text className="fd__amount">{wallet.points}</Text>
          </View>
        </View>
        <View className="fd__submit">
          <ActionButton type="primary" onClick={() => void navigateBackOr(FRONT_DESK_PAGE)}>
            返回会员卡
          </ActionButton>
        </View>
      </View>
    );
  }

  return (
    <PageShell loading={loading} error={error} onRetry={reload} className="fd">
      {data ? (
        <>
          <View className="fd__card">
            <Text className="fd__title">给 {data.customer.name ?? '顾客'} 充值</Text>
            <StoreChips me={data.me} storeId={storeId ?? data.me.stores[0]?.id ?? ''} onChange={setStoreId} />
            {data.plans.map((p) => (
              <View
                key={p.id}
                className={`fd__plan${p.id === planId ? ' fd__plan--on' : ''}`}
                onClick={() => {
                  setPlanId(p.id === planId ? null : p.id);
                  setFormError(null);
                }}
              >
                <Text className="fd__amount">{p.name}</Text>
                <Text className="fd__muted">
                  {' '}
                  付 {formatFen(p.payFen)}，送 {formatFen(p.bonusFen)}
                  {p.bonusPoints > 0 ? `、${p.bonusPoints} 积分` : ''}
                </Text>
              </View>
            ))}
            <Text className="fd__label">或输入金额（元）</Text>
            <Input
              className="fd__input fd__amount-input"
              type="digit"
              placeholder="例如 500"
              value={plan ? '' : amountText}
              onInput={(event) => {
                setPlanId(null);
                setAmountText(event.detail.value);
              }}
            />
            <Text className="fd__label">收款方式</Text>
            <MethodChips methods={METHODS} method={method} onChange={setMethod} />
            <InlineError className="fd__error" message={formError} />
          </View>
          <View className="fd__submit">
            <ActionButton type="primary" disabled={busy} onClick={() => void submit(data.me)}>
              {busy ? '充值中…' : plan ? `收 ${formatFen(plan.payFen)} 并充值` : '确认充值'}
            </ActionButton>
          </View>
        </>
      ) : null}
    </PageShell>
  );
}
