import { Button, Input, Text, View } from '@tarojs/components';
import Taro from '@tarojs/taro';
import {
  ApiError,
  createWechatPayer,
  formatCount,
  formatFen,
  InlineError,
  MoneyText,
  newIdempotencyKey,
  PageShell,
  useAsync,
} from '@lumi/mini';
import type { ShopAddress, ShopQuote } from '@lumi/shared';
import { useEffect, useState } from 'react';
import { shopOrderPage } from '../../routes.ts';
import { getPaymentOrder } from '../../services/payments.ts';
import { getMyCoupons } from '../../services/membership.ts';
import { createOrderPayment, getCart, getCatalogue, placeOrder, quoteOrder } from '../../services/shop.ts';
import { getMyWallet } from '../../services/wallet.ts';
import '../../shop-common/shop.scss';
import { Discounts } from './discounts.tsx';
import { planTenders } from './tenders.ts';

const IS_H5 = process.env.TARO_ENV === 'h5';

async function load() {
  const [cart, catalogue, wallet, coupons] = await Promise.all([
    getCart(),
    getCatalogue(),
    getMyWallet(),
    getMyCoupons(),
  ]);
  return { cart, catalogue, wallet, coupons: coupons.filter((c) => c.usable && c.kind !== 'free_addon') };
}

const EMPTY_ADDRESS: ShopAddress = { name: '', phone: '', region: '', detail: '' };

/**
 * 确认订单: where she gets it (a store for pickup, or delivery to an address), a coupon and items at their points
 * price, how she pays, then pay.
 */
export default function ShopCheckoutPage() {
  const { data, error, loading, reload } = useAsync(load, []);
  const [storeId, setStoreId] = useState<string | null>(null);
  const [fulfilment, setFulfilment] = useState<'pickup' | 'delivery'>('pickup');
  const [address, setAddress] = useState<ShopAddress>(EMPTY_ADDRESS);
  const [storedValue, setStoredValue] = useState('');
  const [points, setPoints] = useState('');
  const [couponId, setCouponId] = useState<string | null>(null);
  const [pointsItems, setPointsItems] = useState<string[]>([]);
  const [quote, setQuote] = useState<ShopQuote | null>(null);
  const [quoteError, setQuoteError] = useState<string | null>(null);
  const [busy, setBusy] = useState(false);
  const [actionError, setActionError] = useState<string | null>(null);
  // One key per attempt: a retried tap after a network failure replays the same order.
  const [orderKey, setOrderKey] = useState(() => newIdempotencyKey('shop-order'));
  const [payer] = useState(() =>
    createWechatPayer({ keyPrefix: 'shop-pay', createOrder: createOrderPayment, getOrder: getPaymentOrder }),
  );

  // The API prices the coupon and the points-price items; without either, the cart's total stands.
  useEffect(() => {
    setQuoteError(null);
    if (!couponId && pointsItems.length === 0) return setQuote(null);
    let current = true;
    quoteOrder({ couponId, pointsPriceItemIds: pointsItems })
      .then((q) => current && setQuote(q))
      .catch((cause: unknown) => {
        if (!current) return;
        setQuote(null);
        setCouponId(null);
        setQuoteError(cause instanceof ApiError ? cause.message : '优惠计算失败，请重试');
      });
    return () => {
      current = false;
    };
  }, [couponId, pointsItems]);

  const chosenStore = storeId ?? data?.catalogue.stores[0]?.id ?? null;
  const totalFen = quote?.totalFen ?? data?.cart.totalFen ?? 0;
  const plan = data
    ? planTenders(
        totalFen,
        { storedValue, points },
        data.wallet,
        data.catalogue.pointValueFen,
        quote?.pointsPricePoints ?? 0,
      )
    : null;

  async function chooseAddress() {
    try {
      const picked = await Taro.chooseAddress();
      setAddress({
        name: picked.userName,
        phone: picked.telNumber,
        region: `${picked.provinceName} ${picked.cityName} ${picked.countyName}`,
        detail: picked.detailInfo,
      });
    } catch {
      // She closed the address book: nothing chosen.
    }
  }

  async function submit() {
    if (!data || !plan || busy || !chosenStore) return;
    if (!plan.ok) return setActionError(plan.message);
    if (fulfilment === 'delivery' && Object.values(address).some((v) => v.trim() === '')) {
      return setActionError('请填写完整的收货地址');
    }
    setBusy(true);
    setActionError(null);
    let orderId: string | null = null;
    try {
      const order = await placeOrder(
        {
          storeId: chosenStore,
          fulfilment,
          address: fulfilment === 'delivery' ? address : null,
          tenders: plan.tenders,
          couponId: quote ? couponId : null,
          pointsPriceItemIds: quote ? pointsItems : [],
        },
        orderKey,
      );
      orderId = order.id;
      setOrderKey(newIdempotencyKey('shop-order'));
      if (order.status === 'pending_payment') await payer.pay(order.id);
      void Taro.showToast({ title: '支付成功', icon: 'success', duration: 1500 });
    } catch (cause) {
      if (!orderId) setActionError(cause instanceof ApiError ? cause.message : '下单失败，请重试');
    } finally {
      setBusy(false);
      // Paid or not, the order page shows where it stands (and lets her pay or cancel).
      if (orderId) void Taro.redirectTo({ url: shopOrderPage(orderId) });
    }
  }

  return (
    <PageShell
      loading={loading}
      error={error}
      onRetry={reload}
      empty={!!data && data.cart.lines.length === 0}
      emptyText="购物车是空的"
    >
      {data ? (
        <View>
          <View className="shop-section">
            <Text className="shop-section__title">商品</Text>
            {data.cart.lines.map((l) => (
              <View key={l.itemId} className="shop-row">
                <Text>{`${l.name} × ${l.quantity}`}</Text>
                <MoneyText fen={l.amountFen} />
              </View>
            ))}
          </View>
          <View className="shop-section">
            <Text className="shop-section__title">取货方式</Text>
            <View className="shop-chips">
              <Text className="shop-chip" data-active={fulfilment === 'pickup'} onClick={() => setFulfilment('pickup')}>
                {fulfilment === 'pickup' ? '✓ 到店自提' : '到店自提'}
              </Text>
              <Text
                className="shop-chip"
                data-active={fulfilment === 'delivery'}
                onClick={() => setFulfilment('delivery')}
              >
                {fulfilment === 'delivery' ? '✓ 快递配送' : '快递配送'}
              </Text>
            </View>
            <Text>{fulfilment === 'pickup' ? '自提门店' : '发货门店'}</Text>
            <View className="shop-chips">
              {data.catalogue.stores.map((s) => (
                <Text key={s.id} className="shop-chip" onClick={() => setStoreId(s.id)}>
                  {s.id === chosenStore ? `✓ ${s.name}` : s.name}
                </Text>
              ))}
            </View>
            {fulfilment === 'delivery' ? (
              IS_H5 ? (
                <View>
                  <Input
                    className="shop-input"
                    placeholder="收货人"
                    value={address.name}
                    onInput={(e) => setAddress({ ...address, name: e.detail.value })}
                  />
                  <Input
                    className="shop-input"
                    placeholder="手机号"
                    type="number"
                    value={address.phone}
                    onInput={(e) => setAddress({ ...address, phone: e.detail.value })}
                  />
                  <Input
                    className="shop-input"
                    placeholder="省 市 区"
                    value={address.region}
                    onInput={(e) => setAddress({ ...address, region: e.detail.value })}
                  />
                  <Input
                    className="shop-input"
                    placeholder="详细地址"
                    value={address.detail}
                    onInput={(e) => setAddress({ ...address, detail: e.detail.value })}
                  />
                </View>
              ) : (
                <View>
                  <Button size="mini" onClick={() => void chooseAddress()}>
                    选择收货地址
                  </Button>
                  {address.name ? (
                    <Text>{`${address.name} ${address.phone} ${address.region} ${address.detail}`}</Text>
                  ) : null}
                </View>
              )
            ) : null}
          </View>
          <Discounts
            cart={data.cart}
            catalogue={data.catalogue}
            coupons={data.coupons}
            couponId={couponId}
            onCoupon={setCouponId}
            pointsItems={pointsItems}
            onPointsItems={setPointsItems}
            quote={quote}
            quoteError={quoteError}
          />
          <View className="shop-section">
            <Text className="shop-section__title">支付方式</Text>
            <View className="shop-row">
              <Text>{`储值抵扣（可用 ${formatFen(data.wallet.totalFen)}）`}</Text>
            </View>
            <Input
              className="shop-input"
              type="digit"
              placeholder="0.00"
              value={storedValue}
              onInput={(e) => setStoredValue(e.detail.value)}
            />
            <View className="shop-row">
              <Text>{`积分抵扣（可用 ${formatCount(data.wallet.points)}，1 积分 = ${data.catalogue.pointValueFen} 分）`}</Text>
            </View>
            <Input
              className="shop-input"
              type="number"
              placeholder="0"
              value={points}
              onInput={(e) => setPoints(e.detail.value)}
            />
            <View className="shop-row">
              <Text>微信支付</Text>
              {plan?.ok ? <MoneyText fen={plan.wechatFen} /> : <Text>—</Text>}
            </View>
          </View>
          <InlineError className="shop-error" message={actionError ?? (plan && !plan.ok ? plan.message : null)} />
          <View className="shop-bar">
            <View>
              <Text>应付 </Text>
              <MoneyText className="shop-price" fen={totalFen} />
            </View>
            <Button type="primary" size="mini" disabled={busy || !plan?.ok} onClick={() => void submit()}>
              {busy ? '处理中…' : '提交订单'}
            </Button>
          </View>
        </View>
      ) : null}
    </PageShell>
  );
}
