import { Button, Input, Text, View } from '@tarojs/components';
import Taro from '@tarojs/taro';
import { ApiError, CodeEntry, formatDateTime, InlineError, MoneyText, PageShell, useAsync } from '@lumi/mini';
import type { ShopOrder } from '@lumi/shared';
import { useState } from 'react';
import { getMyStaffProfile } from '../../services/profile.ts';
import { collectByCode, listShopOrders, shipOrder } from '../../services/shop.ts';
import '../shop.scss';

async function load(storeId: string | null) {
  const profile = await getMyStaffProfile();
  const store = storeId ?? profile.stores[0]?.id ?? null;
  if (!store) return { profile, store, pickup: [], shipping: [] };
  const [pickup, shipping] = await Promise.all([
    listShopOrders(store, 'awaiting_pickup'),
    listShopOrders(store, 'awaiting_shipment'),
  ]);
  return { profile, store, pickup, shipping };
}

const errorText = (cause: unknown) => (cause instanceof ApiError ? cause.message : '操作失败，请重试');

/**
 * 商城订单 of one store: hand over by the customer's pickup code (核销: scanned from her order page's QR in the
 * mini-program, typed in H5), and ship deliveries (发货).
 */
export default function ShopOrdersPage() {
  const [storeId, setStoreId] = useState<string | null>(null);
  const { data, error, loading, reload, refresh } = useAsync(() => load(storeId), [storeId]);
  const [busy, setBusy] = useState(false);
  const [actionError, setActionError] = useState<string | null>(null);

  async function act(run: () => Promise<ShopOrder>, done: (order: ShopOrder) => string) {
    if (busy) return;
    setBusy(true);
    setActionError(null);
    try {
      const order = await run();
      void Taro.showToast({ title: done(order), icon: 'success', duration: 2000 });
    } catch (cause) {
      setActionError(errorText(cause));
    } finally {
      setBusy(false);
      refresh();
    }
  }

  /** A scanned QR holds the same 6 digits she can read out; CodeEntry shows what went wrong under the entry. */
  async function collect(store: string, code: string) {
    if (!/^\d{6}$/.test(code)) throw new Error('核销码是 6 位数字');
    try {
      const order = await collectByCode(store, code);
      void Taro.showToast({ title: `已核销 ${order.number}`, icon: 'success', duration: 2000 });
    } catch (cause) {
      throw new Error(errorText(cause));
    }
    refresh();
  }

  const store = data?.store ?? null;
  return (
    <PageShell loading={loading} error={error} onRetry={reload}>
      {data ? (
        <View className="staff-shop">
          <View className="staff-shop__chips staff-shop__section">
            {data.profile.stores.map((s) => (
              <Text key={s.id} className="staff-shop__chip" onClick={() => setStoreId(s.id)}>
                {s.id === store ? `✓ ${s.name}` : s.name}
              </Text>
            ))}
          </View>
          <View className="staff-shop__section">
            <Text className="staff-shop__title">核销取货</Text>
            {store ? (
              <CodeEntry
                scanLabel="扫顾客的取货码"
                placeholder="输入顾客的 6 位核销码"
                onCode={(code) => collect(store, code)}
              />
            ) : null}
          </View>
          <InlineError className="staff-shop__error" message={actionError} />
          <View className="staff-shop__section">
            <Text className="staff-shop__title">{`待核销（${data.pickup.length}）`}</Text>
            {data.pickup.length === 0 ? <Text>暂无待取货订单</Text> : null}
            {data.pickup.map((order) => (
              <OrderSummary key={order.id} order={order} />
            ))}
          </View>
          <View className="staff-shop__section">
            <Text className="staff-shop__title">{`待发货（${data.shipping.length}）`}</Text>
            {data.shipping.length === 0 ? <Text>暂无待发货订单</Text> : null}
            {data.shipping.map((order) => (
              <ShipForm
                key={order.id}
                order={order}
                busy={busy}
                onShip={(note) =>
                  void act(
                    () => shipOrder(order.id, note),
                    () => '已发货',
                  )
                }
              />
            ))}
          </View>
        </View>
      ) : null}
    </PageShell>
  );
}

function OrderSummary({ order }: { order: ShopOrder }) {
  return (
    <View>
      <View className="staff-shop__row">
        <Text>{`${order.number} · ${order.customerName}`}</Text>
        <MoneyText fen={order.totalFen} />
      </View>
      <Text>{order.lines.map((l) => `${l.name} × ${l.quantity - l.refundedQuantity}`).join('、')}</Text>
      <View>
        <Text>{order.paidAt ? `付款 ${formatDateTime(order.paidAt)}` : ''}</Text>
      </View>
    </View>
  );
}

function ShipForm({ order, busy, onShip }: { order: ShopOrder; busy: boolean; onShip: (note: string) => void }) {
  const [note, setNote] = useState('');
  return (
    <View>
      <OrderSummary order={order} />
      {order.address ? (
        <Text>{`${order.address.name} ${order.address.phone} ${order.address.region} ${order.address.detail}`}</Text>
      ) : null}
      <Input
        className="staff-shop__input"
        placeholder="快递公司和单号"
        value={note}
        onInput={(e) => setNote(e.detail.value)}
      />
      <Button size="mini" disabled={busy || note.trim().length < 2} onClick={() => onShip(note.trim())}>
        发货
      </Button>
    </View>
  );
}
