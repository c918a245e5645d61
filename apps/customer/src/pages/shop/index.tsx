import { Button, Text, View } from '@tarojs/components';
import Taro from '@tarojs/taro';
import { PageShell, useAsync, useRefreshOnReturn } from '@lumi/mini';
import { SHOP_CART_PAGE, SHOP_HOME_PAGE, SHOP_ORDERS_PAGE, shopCategoryPage } from '../../routes.ts';
import { getCart, getCatalogue } from '../../services/shop.ts';
import { ItemCard } from '../../shop-common/item-card.tsx';
import '../../shop-common/shop.scss';
import { useTabPage } from '../../tab-bar/tab-state.ts';
import './index.scss';

/** How many items the home page features before the customer picks a category. */
const FEATURED = 6;

async function load() {
  const [catalogue, cart] = await Promise.all([getCatalogue(), getCart()]);
  return { catalogue, cartCount: cart.lines.reduce((sum, l) => sum + l.quantity, 0) };
}

/** 商城 tab: categories, featured items, the cart and her orders. */
export default function ShopHomePage() {
  useTabPage(SHOP_HOME_PAGE);
  const { data, error, loading, reload, refresh } = useAsync(load, []);
  useRefreshOnReturn(refresh);
  const items = data?.catalogue.items ?? [];
  return (
    <PageShell
      loading={loading}
      error={error}
      onRetry={reload}
      empty={!!data && items.length === 0}
      emptyText="商城还没有上架商品"
      className="lumi-tab-page"
    >
      {data ? (
        <View className="shop-home">
          <View className="shop-bar">
            <Text>{data.catalogue.tierName ? `${data.catalogue.tierName}会员价` : '会员商城'}</Text>
            <View className="shop-home__actions">
              <Button size="mini" onClick={() => void Taro.navigateTo({ url: SHOP_ORDERS_PAGE })}>
                我的订单
              </Button>
              <Button size="mini" type="primary" onClick={() => void Taro.navigateTo({ url: SHOP_CART_PAGE })}>
                {`购物车${data.cartCount > 0 ? `(${data.cartCount})` : ''}`}
              </Button>
            </View>
          </View>
          <View className="shop-chips">
            {data.catalogue.categories.map((c) => (
              <Text
                key={c.id}
                className="shop-chip"
                onClick={() => void Taro.navigateTo({ url: shopCategoryPage(c.id) })}
              >
                {c.name}
              </Text>
            ))}
          </View>
          <View className="shop-grid">
            {items.slice(0, FEATURED).map((item) => (
              <ItemCard key={item.id} item={item} />
            ))}
          </View>
        </View>
      ) : null}
    </PageShell>
  );
}
