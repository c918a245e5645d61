import { Input, Text, View } from '@tarojs/components';
import { useRouter } from '@tarojs/taro';
import { useCallback, useRef, useState } from 'react';
import {
  ActionButton,
  ApiError,
  createAttemptKeys,
  formatFen,
  InlineError,
  PageShell,
  parseYuanInput,
  useAsync,
} from '@lumi/mini';
import type { PaymentOrder, StaffProfile, TopUpPlan, TopUpRequest, TransferResult, Wallet } from '@lumi/shared';
import { FRONT_DESK_PAGE } from '../../routes.ts';
import { openWechatTopUp } from '../../services/counter.ts';
import { getCustomer, getCustomerWallet } from '../../services/customers.ts';
import { listTopUpPlans, topUp } from '../../services/front-desk.ts';
import { getMyStaffProfile } from '../../services/profile.ts';
import { COUNTER_METHODS, MethodChips, StoreChips } from '../store-chips.tsx';
import { TopUpDone } from './top-up-done.tsx';
import { WechatWaiting } from './wechat-waiting.tsx';
import '../front-desk.scss';

/** A WeChat top-up the API refuses with 422 is a customer who never signed in to the mini-program (or a withdrawn offer). */
function topUpFailure(failure: unknown, method: string): string {
  if (!(failure instanceof ApiError)) return '充值失败，请重试';
  if (method === 'wechat' && failure.code === 'BUSINESS_RULE_VIOLATED') {
    return '无法发起微信付款：请顾客先登录会员小程序（或该方案已下架），也可改用现金/银行卡';
  }
  return failure.message;
}

async function loadTopUp(customerId: string) {
  const [me, customer, plans] = await Promise.all([getMyStaffProfile(), getCustomer(customerId), listTopUpPlans()]);
  return { me, customer, plans: [...plans].sort((a, b) => a.payFen - b.payFen) };
}

// 微信扫码: the customer pays on her own phone, in the customer mini-program (到店微信充值).
const METHODS = ['cash', 'card', 'wechat'] as const;

/** 充值 at the counter: one of the tenant's offers (充值送) or any amount, in cash, by card or paid by WeChat. */
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
  const wechatKeys = useRef(createAttemptKeys('wxtopup')).current;
  const [wechatOrder, setWechatOrder] = useState<PaymentOrder | null>(null);
  const [walletBefore, setWalletBefore] = useState<Wallet | null>(null);
  const [wechatPaid, setWechatPaid] = useState<{ paidFen: number; bonusFen: number; wallet: Wallet } | null>(null);

  const onWechatPaid = useCallback(
    (paid: PaymentOrder) => {
      // The new balance as the ledger has it now; the bonus is what the offer added on top of what she paid.
      void getCustomerWallet(customerId)
        .then((wallet) => {
          wechatKeys.finish();
          setWechatPaid({
            paidFen: paid.amountFen,
            bonusFen: walletBefore ? wallet.bonusFen - walletBefore.bonusFen : 0,
            wallet,
          });
        })
        .catch(() => setFormError('已收款，余额读取失败：请返回会员卡刷新'));
    },
    [customerId, walletBefore, wechatKeys],
  );
  const cancelWechat = useCallback(() => setWechatOrder(null), []);

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
      method: method === 'wechat' ? 'cash' : method,
      ...(plan ? { planId: plan.id } : {}),
    };
    setBusy(true);
    setFormError(null);
    try {
      if (method === 'wechat') {
        const request = { storeId: body.storeId, ...(plan ? { planId: plan.id } : { amountFen }) };
        setWalletBefore(await getCustomerWallet(customerId));
        setWechatOrder(await openWechatTopUp(customerId, request, wechatKeys.keyFor(request)));
        return;
      }
      setReceipt(await topUp(customerId, body, keys.keyFor(body)));
      keys.finish();
    } catch (failure) {
      setFormError(topUpFailure(failure, method));
    } finally {
      setBusy(false);
    }
  }

  if (receipt?.wallet) {
    return (
      <TopUpDone
        paidFen={Number(receipt.details.paidFen ?? 0)}
        bonusFen={Number(receipt.details.bonusFen ?? 0)}
        wallet={receipt.wallet}
        tender={COUNTER_METHODS[method]}
      />
    );
  }
  if (wechatPaid) {
    return (
      <TopUpDone
        paidFen={wechatPaid.paidFen}
        bonusFen={wechatPaid.bonusFen}
        wallet={wechatPaid.wallet}
        tender="微信支付"
      />
    );
  }
  if (wechatOrder) {
    return <WechatWaiting customerId={customerId} order={wechatOrder} onPaid={onWechatPaid} onCancel={cancelWechat} />;
  }

  return (
    <PageShell loading={loading} error={error} onRetry={reload} backTo={FRONT_DESK_PAGE} className="fd">
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
              {busy
                ? '充值中…'
                : method === 'wechat'
                  ? '生成付款码'
                  : plan
                    ? `收 ${formatFen(plan.payFen)} 并充值`
                    : '确认充值'}
            </ActionButton>
          </View>
        </>
      ) : null}
    </PageShell>
  );
}
