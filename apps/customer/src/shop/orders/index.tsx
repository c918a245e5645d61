import { Text, View } from '@tarojs/components';
import Taro from '@tarojs/taro';
import { formatDateTime, MoneyText, PageShell, useAsync, useRefreshOnReturn } from '@lumi/mini';
import { SHOP_ORDER_STATUS_LABELS } from '@lumi/shared';
import { shopOrderPage } from '../../routes.ts';
import { getMyVouchers, getOrders } from '../../services/shop.ts';
import '../../shop-common/shop.scss';

async function load() {
  const [orders, vouchers] = await Promise.all([getOrders(), getMyVouchers()]);
  return { orders, vouchers: vouchers.filter((v) => v.status === 'issued') };
}

/**
 * 我的订单, newest first, each with its status (待付款, 待核销 …), and above them the service vouchers she bought and
 * has not used yet (the salon uses one at her visit).
 */
export default function ShopOrdersPage() {
  const { data, error, loading, reload, refresh } = useAsync(load, []);
  useRefreshOnReturn(refresh);
  return (
    <PageShell
      loading={loading}
      error={error}
      onRetry={reload}
      empty={!!data && data.orders.length === 0}
      emptyText="还没有订单"
    >
      {data && data.vouchers.length > 0 ? (
        <View className="shop-section">
          <Text className="shop-section__title">{`我的服务券（${data.vouchers.length}）`}</Text>
          {data.vouchers.map((v) => (
            <View key={v.id} className="shop-row">
              <Text>{v.name}</Text>
              <Text className="shop-muted">到店出示，由门店核销</Text>
            </View>
          ))}
        </View>
      ) : null}
      {(data?.orders ?? []).map((order) => (
        <View
          key={order.id}
          className="shop-section"
          data-testid={`order-${order.id}`}
          onClick={() => void Taro.navigateTo({ url: shopOrderPage(order.id) })}
        >
          <View className="shop-row">
            <Text>{order.number}</Text>
            <Text className="shop-status">{SHOP_ORDER_STATUS_LABELS[order.status]}</Text>
          </View>
          <Text>{order.lines.map((l) => `${l.name} × ${l.quantity}`).join('、')}</Text>
          <View className="shop-row">
            <Text>{formatDateTime(order.createdAt)}</Text>
            <MoneyText fen={order.totalFen} />
          </View>
        </View>
      ))}
    </PageShell>
  );
}
