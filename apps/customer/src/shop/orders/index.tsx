import { Text, View } from '@tarojs/components';
import Taro from '@tarojs/taro';
import { formatDateTime, MoneyText, PageShell, useAsync, useRefreshOnReturn } from '@lumi/mini';
import { SHOP_ORDER_STATUS_LABELS } from '@lumi/shared';
import { shopOrderPage } from '../../routes.ts';
import { getOrders } from '../../services/shop.ts';
import '../../shop-common/shop.scss';

/** 我的订单, newest first, each with its status (待付款, 待核销 …). */
export default function ShopOrdersPage() {
  const { data, error, loading, reload, refresh } = useAsync(getOrders, []);
  useRefreshOnReturn(refresh);
  return (
    <PageShell
      loading={loading}
      error={error}
      onRetry={reload}
      empty={!!data && data.length === 0}
      emptyText="还没有订单"
    >
      {(data ?? []).map((order) => (
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
