import { Text, View } from '@tarojs/components';
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
  sessionsLeftText,
  useAsync,
} from '@lumi/mini';
import type { SellPackageCardRequest, StaffProfile, TransferResult } from '@lumi/shared';
import { FRONT_DESK_PAGE } from '../../routes.ts';
import { getCatalog } from '../../services/checkout.ts';
import { getCustomer, getCustomerWallet } from '../../services/customers.ts';
import { sellPackageCard } from '../../services/front-desk.ts';
import { getMyStaffProfile } from '../../services/profile.ts';
import { MethodChips, StoreChips } from '../store-chips.tsx';
import '../front-desk.scss';

async function loadSale(customerId: string) {
  const [me, customer, wallet, catalog] = await Promise.all([
    getMyStaffProfile(),
    getCustomer(customerId),
    getCustomerWallet(customerId),
    getCatalog(),
  ]);
  return { me, customer, wallet, plans: catalog.packagePlans };
}

const METHODS = ['cash', 'card', 'stored_value'] as const;

/** 售次卡: one of the tenant's package cards, paid in cash, by card or from stored value. */
export default function SellCardPage() {
  const customerId = useRouter().params.customerId ?? '';
  const { data, error, loading, reload } = useAsync(() => loadSale(customerId), [customerId]);
  const [planId, setPlanId] = useState<string | null>(null);
  const [method, setMethod] = useState<(typeof METHODS)[number]>('cash');
  const [storeId, setStoreId] = useState<string | null>(null);
  const [busy, setBusy] = useState(false);
  const [formError, setFormError] = useState<string | null>(null);
  const [sold, setSold] = useState<TransferResult | null>(null);
  const keys = useRef(createAttemptKeys('card')).current;

  async function submit(me: StaffProfile) {
    if (busy) return;
    if (!planId) return setFormError('请选择次卡');
    const body: SellPackageCardRequest = { storeId: storeId ?? me.stores[0]?.id ?? '', planId, method };
    setBusy(true);
    setFormError(null);
    try {
      setSold(await sellPackageCard(customerId, body, keys.keyFor(body)));
      keys.finish();
    } catch (failure) {
      setFormError(failure instanceof ApiError ? failure.message : '售卡失败，请重试');
    } finally {
      setBusy(false);
    }
  }

  if (sold?.wallet) {
    return (
      <View className="lumi-page fd">
        <View className="fd__card fd__receipt">
          <Text className="fd__title fd__ok">售卡成功</Text>
          {sold.wallet.packageCards.map((card) => (
            <View key={card.id} className="fd__row fd__package-card">
              <Text>{card.name}</Text>
              <Text className="fd__amount">{sessionsLeftText(card)}</Text>
            </View>
          ))}
          <View className="fd__row">
            <Text>储值余额</Text>
            <Text className="fd__amount fd__receipt-total">{formatFen(sold.wallet.totalFen)}</Text>
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
    <PageShell
      loading={loading}
      error={error}
      onRetry={reload}
      backTo={FRONT_DESK_PAGE}
      empty={data?.plans.length === 0}
      emptyText="还没有在售的次卡"
      className="fd"
    >
      {data ? (
        <>
          <View className="fd__card">
            <Text className="fd__title">给 {data.customer.name ?? '顾客'} 售次卡</Text>
            <StoreChips me={data.me} storeId={storeId ?? data.me.stores[0]?.id ?? ''} onChange={setStoreId} />
            {data.plans.map((plan) => (
              <View
                key={plan.id}
                className={`fd__plan${plan.id === planId ? ' fd__plan--on' : ''}`}
                onClick={() => {
                  setPlanId(plan.id);
                  setFormError(null);
                }}
              >
                <Text className="fd__amount">{plan.name}</Text>
                <Text className="fd__muted">
                  {' '}
                  {plan.sessions} 次 · {formatFen(plan.priceFen)} · 有效 {plan.validDays} 天
                </Text>
              </View>
            ))}
            <Text className="fd__label">收款方式</Text>
            <MethodChips methods={METHODS} method={method} onChange={setMethod} />
            <Text className="fd__muted">储值余额 {formatFen(data.wallet.totalFen)}</Text>
            <InlineError className="fd__error" message={formError} />
          </View>
          <View className="fd__submit">
            <ActionButton type="primary" disabled={busy} onClick={() => void submit(data.me)}>
              {busy ? '办理中…' : '确认售卡'}
            </ActionButton>
          </View>
        </>
      ) : null}
    </PageShell>
  );
}
