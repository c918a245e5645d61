import { Button, Input, Text, View } from '@tarojs/components';
import Taro, { useRouter } from '@tarojs/taro';
import {
  ApiError,
  createWechatPayer,
  formatDateTime,
  formatFen,
  InlineError,
  MoneyText,
  newIdempotencyKey,
  PageShell,
  QrCode,
  tenderAmountText,
  tenderLabel,
  useAsync,
} from '@lumi/mini';
import {
  AFTER_SALE_STATUS_LABELS,
  SHOP_ORDER_STATUS_LABELS,
  SHOP_ORDER_STEP_LABELS,
  type ShopGiftCard,
  type ShopOrder,
} from '@lumi/shared';
import { useState } from 'react';
import { getPaymentOrder } from '../../services/payments.ts';
import { cancelOrder, confirmReceipt, createOrderPayment, getOrder, requestAfterSale } from '../../services/shop.ts';
import '../../shop-common/shop.scss';

/** Paid orders may ask for after-sale while nothing is waiting for a decision. */
const AFTER_SALE_FROM = ['awaiting_pickup', 'collected', 'awaiting_shipment', 'shipped', 'received', 'completed'];
const REFUNDABLE_KINDS = ['product', 'service_voucher'];

/** A top-up's gift: its plan gives one card a unit bought. */
const giftCardText = (card: ShopGiftCard, quantity: number) =>
  `赠送次卡：${card.name}（${card.sessions} 次）${quantity > 1 ? ` × ${quantity} 张` : ''}`;

/** One order: status, pickup code in large digits, lines, how it was paid, and what she can do next. */
export default function ShopOrderPage() {
  const orderId = useRouter().params.id ?? '';
  const { data: order, error, loading, reload, refresh } = useAsync(() => getOrder(orderId), [orderId]);
  const [busy, setBusy] = useState(false);
  const [actionError, setActionError] = useState<string | null>(null);
  const [asking, setAsking] = useState(false);
  const [payer] = useState(() =>
    createWechatPayer({ keyPrefix: 'shop-pay', createOrder: createOrderPayment, getOrder: getPaymentOrder }),
  );

  async function act(run: () => Promise<unknown>, done: string) {
    if (busy) return;
    setBusy(true);
    setActionError(null);
    try {
      await run();
      setAsking(false);
      void Taro.showToast({ title: done, icon: 'success', duration: 1500 });
    } catch (cause) {
      setActionError(cause instanceof ApiError ? cause.message : '操作失败，请重试');
    } finally {
      setBusy(false);
      refresh();
    }
  }

  return (
    <PageShell loading={loading} error={error} onRetry={reload}>
      {order ? (
        <View>
          <View className="shop-section">
            <View className="shop-row">
              <Text>{order.number}</Text>
              <Text className="shop-status" data-testid="order-status">
                {SHOP_ORDER_STATUS_LABELS[order.status]}
              </Text>
            </View>
            {order.pickupCode ? (
              <View>
                <Text>{`凭核销码到 ${order.storeName} 取货`}</Text>
                {/* The code itself, for the till to scan; the digits below are for typing it in. */}
                <QrCode className="shop-pickup-qr" value={order.pickupCode} sizeRpx={360} />
                <Text className="shop-pickup-code" data-testid="pickup-code">
                  {order.pickupCode}
                </Text>
              </View>
            ) : null}
            {order.status === 'pending_payment' && order.expiresAt ? (
              <Text>{`请在 ${formatDateTime(order.expiresAt)} 前完成支付`}</Text>
            ) : null}
            {order.trackingNote ? <Text>{`物流：${order.trackingNote}`}</Text> : null}
            {order.address ? (
              <Text>{`收货：${order.address.name} ${order.address.phone} ${order.address.region} ${order.address.detail}`}</Text>
            ) : null}
          </View>
          <View className="shop-section">
            {order.lines.map((l) => (
              <View key={l.id} className="shop-row">
                <View>
                  <Text>{`${l.name} × ${l.quantity}${l.refundedQuantity > 0 ? `（已退 ${l.refundedQuantity}）` : ''}`}</Text>
                  {l.giftCard ? (
                    <Text className="shop-muted" data-testid="gift-card">
                      {giftCardText(l.giftCard, l.quantity)}
                    </Text>
                  ) : null}
                </View>
                {l.pointsPrice ? <Text>{`${l.pointsPrice * l.quantity} 积分`}</Text> : <MoneyText fen={l.amountFen} />}
              </View>
            ))}
            {order.couponDiscountFen > 0 ? (
              <View className="shop-row">
                <Text>优惠券</Text>
                <Text>{`-${formatFen(order.couponDiscountFen)}`}</Text>
              </View>
            ) : null}
            <View className="shop-row">
              <Text>合计</Text>
              <MoneyText className="shop-price" fen={order.totalFen} />
            </View>
            {order.tenders.map((t) => (
              <View key={t.method} className="shop-row">
                <Text>{tenderLabel(t.method)}</Text>
                <Text>{tenderAmountText(t)}</Text>
              </View>
            ))}
            {order.pointsEarned > 0 ? (
              <View className="shop-row">
                <Text>获得积分</Text>
                <Text>{`+${order.pointsEarned}`}</Text>
              </View>
            ) : null}
          </View>
          <AfterSales order={order} />
          <Timeline order={order} />
          {asking ? (
            <AfterSaleForm
              order={order}
              busy={busy}
              onCancel={() => setAsking(false)}
              onSubmit={(body) =>
                void act(() => requestAfterSale(order.id, body, newIdempotencyKey('after-sale')), '已提交')
              }
            />
          ) : null}
          <InlineError className="shop-error" message={actionError} />
          <View className="shop-bar">
            {order.status === 'pending_payment' ? (
              <>
                <Button size="mini" disabled={busy} onClick={() => void act(() => cancelOrder(order.id), '已取消')}>
                  取消订单
                </Button>
                {order.tenders.some((t) => t.method === 'wechat') ? (
                  <Button
                    size="mini"
                    type="primary"
                    disabled={busy}
                    onClick={() => void act(() => payer.pay(order.id), '支付成功')}
                  >
                    微信支付
                  </Button>
                ) : null}
              </>
            ) : null}
            {order.status === 'shipped' ? (
              <Button
                size="mini"
                type="primary"
                disabled={busy}
                onClick={() => void act(() => confirmReceipt(order.id), '已确认收货')}
              >
                确认收货
              </Button>
            ) : null}
            {canAskAfterSale(order) && !asking ? (
              <Button size="mini" disabled={busy} onClick={() => setAsking(true)}>
                申请售后
              </Button>
            ) : null}
          </View>
        </View>
      ) : null}
    </PageShell>
  );
}

export function canAskAfterSale(order: ShopOrder): boolean {
  return (
    AFTER_SALE_FROM.includes(order.status) &&
    !order.afterSales.some((a) => a.status === 'requested') &&
    // Package cards and top-ups go back with the whole order (while unused), so they count too.
    order.lines.some((l) => l.quantity > l.refundedQuantity)
  );
}

/** 售后进度: each request, its amount and where it stands. */
function AfterSales({ order }: { order: ShopOrder }) {
  if (order.afterSales.length === 0) return null;
  return (
    <View className="shop-section">
      <Text className="shop-section__title">售后</Text>
      {order.afterSales.map((a) => (
        <View key={a.id} data-testid={`after-sale-${a.id}`}>
          <View className="shop-row">
            <Text>{a.lines.map((l) => `${l.name} × ${l.quantity}`).join('、')}</Text>
            <Text className="shop-status">{AFTER_SALE_STATUS_LABELS[a.status]}</Text>
          </View>
          <View className="shop-row">
            <Text>{`原因：${a.reason}`}</Text>
            <MoneyText fen={a.amountFen} />
          </View>
          {a.decisionNote ? <Text>{`店长：${a.decisionNote}`}</Text> : null}
          {a.pointsClawedBack > 0 ? <Text>{`扣回积分 ${a.pointsClawedBack}`}</Text> : null}
        </View>
      ))}
    </View>
  );
}

/** 订单进度: every step with its date, newest first, as an order page in any shop app shows it. */
function Timeline({ order }: { order: ShopOrder }) {
  if (order.timeline.length === 0) return null;
  return (
    <View className="shop-section" data-testid="order-timeline">
      <Text className="shop-section__title">订单进度</Text>
      {[...order.timeline].reverse().map((entry, i) => (
        <View key={`${entry.step}-${entry.at}-${i}`} className="shop-row shop-timeline__step">
          <Text>{SHOP_ORDER_STEP_LABELS[entry.step]}</Text>
          <Text className="shop-timeline__at">
            {entry.amountFen !== null && entry.step.startsWith('after_sale')
              ? `${formatFen(entry.amountFen)} · ${formatDateTime(entry.at)}`
              : formatDateTime(entry.at)}
          </Text>
        </View>
      ))}
    </View>
  );
}

function AfterSaleForm({
  order,
  busy,
  onSubmit,
  onCancel,
}: {
  order: ShopOrder;
  busy: boolean;
  onSubmit: (body: { lines?: { lineId: string; quantity: number }[]; reason: string }) => void;
  onCancel: () => void;
}) {
  const refundable = order.lines.filter((l) => REFUNDABLE_KINDS.includes(l.kind) && l.quantity > l.refundedQuantity);
  const hasWalletItems = order.lines.some((l) => !REFUNDABLE_KINDS.includes(l.kind) && l.quantity > l.refundedQuantity);
  // 整单退款: everything left, the wallet items too (the salon takes them back only while unused).
  const [whole, setWhole] = useState(refundable.length === 0);
  const [counts, setCounts] = useState<Record<string, number>>({});
  const [reason, setReason] = useState('');
  const lines = Object.entries(counts)
    .filter(([, q]) => q > 0)
    .map(([lineId, quantity]) => ({ lineId, quantity }));
  const ready = (whole || lines.length > 0) && reason.trim().length >= 2;
  return (
    <View className="shop-section" data-testid="after-sale-form">
      <Text className="shop-section__title">申请售后</Text>
      <View className="shop-row">
        <Button size="mini" type={whole ? 'primary' : 'default'} onClick={() => setWhole(true)}>
          整单退款
        </Button>
        {refundable.length > 0 ? (
          <Button size="mini" type={whole ? 'default' : 'primary'} onClick={() => setWhole(false)}>
            部分退款
          </Button>
        ) : null}
      </View>
      {whole && hasWalletItems ? <Text>次卡、充值和服务券未使用时随整单退回；已使用的服务券不退。</Text> : null}
      {whole
        ? null
        : refundable.map((l) => {
            const left = l.quantity - l.refundedQuantity;
            const count = counts[l.id] ?? 0;
            return (
              <View key={l.id} className="shop-row">
                <Text>{`${l.name}（可退 ${left}）`}</Text>
                <View className="shop-row">
                  <Button
                    size="mini"
                    disabled={count === 0}
                    onClick={() => setCounts({ ...counts, [l.id]: count - 1 })}
                  >
                    －
                  </Button>
                  <Text>{` ${count} `}</Text>
                  <Button
                    size="mini"
                    disabled={count >= left}
                    onClick={() => setCounts({ ...counts, [l.id]: count + 1 })}
                  >
                    ＋
                  </Button>
                </View>
              </View>
            );
          })}
      <Input
        className="shop-input"
        placeholder="退款原因（至少 2 个字）"
        value={reason}
        onInput={(e) => setReason(e.detail.value)}
      />
      <View className="shop-row">
        <Button size="mini" onClick={onCancel}>
          取消
        </Button>
        <Button
          size="mini"
          type="primary"
          disabled={!ready || busy}
          onClick={() => onSubmit(whole ? { reason: reason.trim() } : { lines, reason: reason.trim() })}
        >
          提交申请
        </Button>
      </View>
    </View>
  );
}
