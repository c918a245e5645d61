import { Button, Image, Text, View } from '@tarojs/components';
import Taro, { useRouter } from '@tarojs/taro';
import { ApiError, formatCount, InlineError, MoneyText, PageShell, useAsync } from '@lumi/mini';
import { useState } from 'react';
import { SHOP_CART_PAGE } from '../../routes.ts';
import { getCart, getItem, imageUrl, setCartLine } from '../../services/shop.ts';
import { stockLeft } from '../../shop-common/item-card.tsx';
import '../../shop-common/shop.scss';

const KIND_LABELS = {
  product: '商品',
  service_voucher: '服务券',
  package_card: '次卡',
  top_up_plan: '充值套餐',
} as const;

/** One item: her tier's price, the points price, stock per store; add to the cart. */
export default function ShopItemPage() {
  const itemId = useRouter().params.id ?? '';
  const { data: item, error, loading, reload } = useAsync(() => getItem(itemId), [itemId]);
  const [quantity, setQuantity] = useState(1);
  const [busy, setBusy] = useState(false);
  const [actionError, setActionError] = useState<string | null>(null);
  const soldOut = item?.kind === 'product' && stockLeft(item) === 0;

  async function addToCart() {
    if (!item || busy) return;
    setBusy(true);
    setActionError(null);
    try {
      const cart = await getCart();
      const inCart = cart.lines.find((l) => l.itemId === item.id)?.quantity ?? 0;
      await setCartLine(item.id, inCart + quantity);
      void Taro.showToast({ title: '已加入购物车', icon: 'success', duration: 1500 });
    } catch (cause) {
      setActionError(cause instanceof ApiError ? cause.message : '加入购物车失败，请重试');
    } finally {
      setBusy(false);
    }
  }

  return (
    <PageShell loading={loading} error={error} onRetry={reload} className="shop-item">
      {item ? (
        <View>
          {item.imagePath ? (
            <Image className="shop-card__image" src={imageUrl(item.imagePath)} mode="aspectFit" />
          ) : null}
          <View className="shop-section">
            <Text className="shop-section__title">{item.name}</Text>
            <Text className="shop-status">{KIND_LABELS[item.kind]}</Text>
            <View className="shop-row">
              <View>
                <MoneyText className="shop-price" fen={item.priceFen} />
                {item.priceFen < item.listPriceFen ? (
                  <MoneyText className="shop-price--list" fen={item.listPriceFen} />
                ) : null}
              </View>
              {item.priceFen < item.listPriceFen ? <Text className="shop-status">会员价</Text> : null}
            </View>
            {item.pointsPrice ? <Text className="shop-row">{`或 ${formatCount(item.pointsPrice)} 积分`}</Text> : null}
            <Text className="shop-row">{item.description}</Text>
          </View>
          {item.kind === 'product' ? (
            <View className="shop-section">
              <Text className="shop-section__title">门店库存</Text>
              {item.stock.length === 0 ? <Text>暂无库存</Text> : null}
              {item.stock.map((s) => (
                <View key={s.storeId} className="shop-row">
                  <Text>{s.storeName}</Text>
                  <Text>{s.quantity > 0 ? `剩 ${s.quantity} 件` : '缺货'}</Text>
                </View>
              ))}
            </View>
          ) : null}
          <View className="shop-bar">
            <View className="shop-row">
              <Button size="mini" disabled={quantity <= 1} onClick={() => setQuantity((q) => Math.max(1, q - 1))}>
                －
              </Button>
              <Text data-testid="quantity">{` ${quantity} `}</Text>
              <Button size="mini" disabled={quantity >= 99} onClick={() => setQuantity((q) => Math.min(99, q + 1))}>
                ＋
              </Button>
            </View>
            <View>
              <Button size="mini" onClick={() => void Taro.navigateTo({ url: SHOP_CART_PAGE })}>
                购物车
              </Button>
              <Button size="mini" type="primary" disabled={soldOut || busy} onClick={() => void addToCart()}>
                {soldOut ? '已售罄' : '加入购物车'}
              </Button>
            </View>
          </View>
          <InlineError className="shop-error" message={actionError} />
        </View>
      ) : null}
    </PageShell>
  );
}
