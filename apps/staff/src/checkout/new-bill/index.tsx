import { Input, Text, View } from '@tarojs/components';
import Taro, { useRouter } from '@tarojs/taro';
import { useState } from 'react';
import { ActionButton, formatFen, InlineError, PageShell, parseYuanInput, useAsync } from '@lumi/mini';
import type {
  Bill,
  BillDraft,
  BillLineInput,
  CustomerProfile,
  StaffCatalog,
  StaffProfile,
  TeamMember,
  Wallet,
} from '@lumi/shared';
import { CUSTOMERS_PAGE, SETTLE_PAGE } from '../../routes.ts';
import { getCatalog, openBill } from '../../services/checkout.ts';
import { getCustomer, getCustomerWallet } from '../../services/customers.ts';
import { getMyStaffProfile } from '../../services/profile.ts';
import { checkoutErrorMessage } from '../errors.ts';
import { MemberAssets } from '../../member-assets.tsx';
import { CouponPicker } from './coupons.tsx';
import { MAX_PERFORMERS, PerformerPicker } from './performers.tsx';
import { DiscountApproval, type DiscountRefusal, discountRefusal } from './discount-approval.tsx';
import { ShopVouchers } from './shop-vouchers.tsx';
import { ApprovedDiscounts } from '../approved-discounts.tsx';
import '../checkout.scss';

interface NewBillData {
  me: StaffProfile;
  customer: CustomerProfile;
  wallet: Wallet;
  catalog: StaffCatalog;
}

async function loadNewBill(customerId: string): Promise<NewBillData> {
  const [me, customer, wallet, catalog] = await Promise.all([
    getMyStaffProfile(),
    getCustomer(customerId),
    getCustomerWallet(customerId),
    getCatalog(),
  ]);
  return { me, customer, wallet, catalog };
}

/** Quantities picked, keyed `service:<id>`, `product:<id>` or `card:<id>`. */
type Counts = Record<string, number>;

/** At list prices: the tier discount and coupons are the server's to work out. */
function pickedFen(items: { id: string; priceFen: number }[], kind: 'service' | 'product', counts: Counts): number {
  return items.reduce((sum, item) => sum + item.priceFen * (counts[`${kind}:${item.id}`] ?? 0), 0);
}

export default function NewBillPage() {
  const customerId = useRouter().params.customerId ?? '';
  const { data, error, loading, reload } = useAsync(() => loadNewBill(customerId), [customerId]);
  const [counts, setCounts] = useState<Counts>({});
  // 商城服务券 added as lines of the bill.
  const [vouchers, setVouchers] = useState<string[]>([]);
  const [storeId, setStoreId] = useState<string | null>(null);
  // Null until changed: whoever rings the bill up, which on the beautician's own phone is who did the work.
  const [performers, setPerformers] = useState<TeamMember[] | null>(null);
  const [couponId, setCouponId] = useState<string | null>(null);
  const [discountText, setDiscountText] = useState('');
  const [reason, setReason] = useState('');
  const [busy, setBusy] = useState(false);
  const [formError, setFormError] = useState<string | null>(null);
  // The bill as refused for its large discount: what the manager is asked to approve, unchanged.
  const [asking, setAsking] = useState<{ draft: BillDraft; refusal: DiscountRefusal } | null>(null);

  const step = (key: string, delta: number, max: number) => {
    setFormError(null);
    setCounts((current) => ({ ...current, [key]: Math.min(max, Math.max(0, (current[key] ?? 0) + delta)) }));
  };

  const me: TeamMember | null = data ? { id: data.me.id, name: data.me.name, role: data.me.role } : null;
  const picked = performers ?? (me ? [me] : []);
  const togglePerformer = (member: TeamMember) => {
    setFormError(null);
    if (picked.some((p) => p.id === member.id)) setPerformers(picked.filter((p) => p.id !== member.id));
    else if (picked.length >= MAX_PERFORMERS) setFormError(`最多选择 ${MAX_PERFORMERS} 位服务人员`);
    else setPerformers([...picked, member]);
  };
  const toggleVoucher = (voucherId: string) => {
    setFormError(null);
    setVouchers((current) =>
      current.includes(voucherId) ? current.filter((v) => v !== voucherId) : [...current, voucherId],
    );
  };
  const chooseStore = (id: string) => {
    setStoreId(id);
    // Another store has another team: start again from whoever rings the bill up.
    setPerformers(null);
  };

  const listFen = data
    ? pickedFen(data.catalog.services, 'service', counts) + pickedFen(data.catalog.products, 'product', counts)
    : 0;

  async function handleOpen() {
    if (!data || busy) return;
    if (picked.length === 0) {
      setFormError('请至少选择一位服务人员');
      return;
    }
    const performerIds = picked.map((p) => p.id);
    const lines: BillLineInput[] = [
      ...data.catalog.services.flatMap((s) => {
        const quantity = counts[`service:${s.id}`] ?? 0;
        return quantity > 0 ? [{ type: 'service' as const, serviceId: s.id, quantity, performerIds }] : [];
      }),
      ...data.catalog.products.flatMap((p) => {
        const quantity = counts[`product:${p.id}`] ?? 0;
        return quantity > 0 ? [{ type: 'product' as const, productId: p.id, quantity, performerIds }] : [];
      }),
      ...data.wallet.packageCards.flatMap((c) => {
        const sessions = counts[`card:${c.id}`] ?? 0;
        return sessions > 0 ? [{ type: 'package_session' as const, packageCardId: c.id, sessions, performerIds }] : [];
      }),
      ...vouchers.map((shopVoucherId) => ({ type: 'shop_voucher' as const, shopVoucherId, performerIds })),
    ];
    if (lines.length === 0) {
      setFormError('请至少选择一个项目、商品、次卡或服务券');
      return;
    }
    const discount = parseYuanInput(discountText);
    if (!discount.ok) {
      setFormError(`优惠金额：${discount.message}`);
      return;
    }
    if (discount.fen > listFen) {
      setFormError('优惠金额不能超过原价合计');
      return;
    }
    if (discount.fen > 0 && reason.trim().length < 2) {
      setFormError('手工优惠须填写原因（至少 2 个字）');
      return;
    }
    const store = storeId ?? data.me.stores[0]?.id;
    if (!store) {
      setFormError('您尚未分配门店，请联系店长');
      return;
    }
    setBusy(true);
    setFormError(null);
    const draft: BillDraft = {
      storeId: store,
      customerId,
      lines,
      ...(couponId ? { couponId } : {}),
      manualDiscountFen: discount.fen,
      ...(discount.fen > 0 ? { manualDiscountReason: reason.trim() } : {}),
    };
    try {
      await settle(await openBill(draft));
    } catch (cause) {
      const refusal = discountRefusal(cause);
      if (refusal) setAsking({ draft, refusal });
      else setFormError(checkoutErrorMessage(cause, '开单失败，请重试'));
    } finally {
      setBusy(false);
    }
  }

  // The bill exists now: going back must not offer to open it a second time.
  const settle = (bill: Bill) => Taro.redirectTo({ url: `${SETTLE_PAGE}?id=${bill.id}` });

  const cards = data?.wallet.packageCards.filter((c) => !c.expired && c.sessionsLeft > 0) ?? [];
  const chosenStore = storeId ?? data?.me.stores[0]?.id;

  return (
    <PageShell loading={loading} error={error} onRetry={reload} backTo={CUSTOMERS_PAGE} className="ck">
      {data ? (
        <>
          <View className="ck__card">
            <Text className="ck__title">{data.customer.name ?? '未填写姓名'}</Text>
            <Text className="ck__muted">{data.customer.phone ?? ''}</Text>
          </View>
          <MemberAssets wallet={data.wallet} block="ck" showCredit />
          {asking ? null : <ApprovedDiscounts customerId={customerId} />}

          {data.me.stores.length > 1 ? (
            <View className="ck__card">
              <Text className="ck__title">门店</Text>
              <View className="ck__chips">
                {data.me.stores.map((s) => (
                  <Text
                    key={s.id}
                    className={s.id === chosenStore ? 'ck__chip ck__chip--on' : 'ck__chip'}
                    onClick={() => chooseStore(s.id)}
                  >
                    {s.name}
                  </Text>
                ))}
              </View>
            </View>
          ) : null}

          {chosenStore && me ? (
            <PerformerPicker
              storeId={chosenStore}
              me={me}
              picked={picked.map((p) => p.id)}
              onToggle={togglePerformer}
            />
          ) : null}

          <View className="ck__card">
            <Text className="ck__title">服务项目</Text>
            {data.catalog.services.map((s) => (
              <PickRow
                key={s.id}
                name={s.name}
                note={`${s.category} · ${formatFen(s.priceFen)}`}
                count={counts[`service:${s.id}`] ?? 0}
                onStep={(delta) => step(`service:${s.id}`, delta, 20)}
              />
            ))}
          </View>

          {data.catalog.products.length > 0 ? (
            <View className="ck__card">
              <Text className="ck__title">商品</Text>
              {data.catalog.products.map((p) => (
                <PickRow
                  key={p.id}
                  name={p.name}
                  note={`${formatFen(p.priceFen)} · 库存 ${p.stock}`}
                  count={counts[`product:${p.id}`] ?? 0}
                  onStep={(delta) => step(`product:${p.id}`, delta, Math.min(200, p.stock))}
                />
              ))}
            </View>
          ) : null}

          {cards.length > 0 ? (
            <View className="ck__card">
              <Text className="ck__title">使用次卡</Text>
              {cards.map((c) => (
                <PickRow
                  key={c.id}
                  name={c.name}
                  note={`剩余 ${c.sessionsLeft} 次`}
                  count={counts[`card:${c.id}`] ?? 0}
                  onStep={(delta) => step(`card:${c.id}`, delta, Math.min(20, c.sessionsLeft))}
                />
              ))}
            </View>
          ) : null}

          <ShopVouchers customerId={customerId} picked={vouchers} onToggle={toggleVoucher} />

          <CouponPicker
            customerId={customerId}
            chosen={couponId}
            onChoose={(id) => {
              setCouponId(id);
              setFormError(null);
            }}
          />

          <View className="ck__card">
            <Text className="ck__title">手工优惠（可选）</Text>
            <Input
              className="ck__input ck__input--wide ck__discount"
              type="digit"
              placeholder="优惠金额（元）"
              value={discountText}
              onInput={(event) => {
                setDiscountText(event.detail.value);
                setFormError(null);
              }}
            />
            <Input
              className="ck__input ck__input--wide ck__discount-reason"
              placeholder="优惠原因（有优惠时必填）"
              maxlength={200}
              value={reason}
              onInput={(event) => setReason(event.detail.value)}
            />
            <Text className="ck__hint">超过店内规定比例的优惠需店长审批，批准后按批准的折扣开单。</Text>
          </View>

          <View className="ck__card">
            <View className="ck__row ck__row--total">
              <Text>原价合计</Text>
              <Text className="ck__amount">{formatFen(listFen)}</Text>
            </View>
            <Text className="ck__hint">
              服务人员：{picked.map((p) => p.name).join('、') || '未选择'}。会员折扣与优惠券在开单后由系统计算。
            </Text>
            {asking ? null : (
              <ActionButton
                className="ck__submit ck__open-bill"
                type="primary"
                disabled={busy}
                onClick={() => void handleOpen()}
              >
                {busy ? '开单中…' : '开单并结账'}
              </ActionButton>
            )}
            <InlineError className="ck__error" message={formError} />
          </View>
          {asking ? (
            <DiscountApproval draft={asking.draft} refusal={asking.refusal} onOpened={(bill) => void settle(bill)} />
          ) : null}
        </>
      ) : null}
    </PageShell>
  );
}

function PickRow(props: { name: string; note: string; count: number; onStep: (delta: number) => void }) {
  return (
    <View className="ck__row ck__pick">
      <View className="ck__main">
        <Text className="ck__pick-name">{props.name}</Text>
        <Text className="ck__muted">{props.note}</Text>
      </View>
      <View className="ck__stepper">
        {props.count > 0 ? (
          <>
            <Text className="ck__step ck__step--minus" onClick={() => props.onStep(-1)}>
              −
            </Text>
            <Text className="ck__count">{props.count}</Text>
          </>
        ) : null}
        <Text className="ck__step ck__step--plus" onClick={() => props.onStep(1)}>
          ＋
        </Text>
      </View>
    </View>
  );
}
