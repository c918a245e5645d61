import { Button, Text, View } from '@tarojs/components';
import Taro from '@tarojs/taro';
import { ApiError, InlineError, MoneyText, PageShell, useAsync, useRefreshOnReturn } from '@lumi/mini';
import type { Cart } from '@lumi/shared';
import { useEffect, useState } from 'react';
import { SHOP_CHECKOUT_PAGE } from '../../routes.ts';
import { getCart, setCartLine } from '../../services/shop.ts';
import '../../shop-common/shop.scss';

/** 购物车: quantities at today's prices for her tier; items taken off sale are shown but not ordered. */
export default function ShopCartPage() {
  const { data, error, loading, reload, refresh } = useAsync(getCart, []);
  useRefreshOnReturn(refresh);
  const [cart, setCart] = useState<Cart | null>(null);
  const [actionError, setActionError] = useState<string | null>(null);
  useEffect(() => setCart(data ?? null), [data]);

  async function change(itemId: string, quantity: number) {
    setActionError(null);
    try {
      setCart(await setCartLine(itemId, quantity));
    } catch (cause) {
      setActionError(cause instanceof ApiError ? cause.message : '操作失败，请重试');
    }
  }

  const lines = cart?.lines ?? [];
  const offSale = lines.some((l) => !l.onSale);
  return (
    <PageShell
      loading={loading}
      error={error}
      onRetry={reload}
      empty={!!cart && lines.length === 0}
      emptyText="购物车是空的"
    >
      {cart ? (
        <View>
          <View className="shop-section">
            {lines.map((line) => (
              <View key={line.itemId} className="shop-row" data-testid={`line-${line.itemId}`}>
                <View>
                  <Text>{line.name}</Text>
                  {line.onSale ? null : <Text className="shop-status">（已下架）</Text>}
                  <View>
                    <MoneyText fen={line.unitPriceFen} />
                  </View>
                </View>
                <View className="shop-row">
                  <Button size="mini" onClick={() => void change(line.itemId, line.quantity - 1)}>
                    {line.quantity === 1 ? '删除' : '－'}
                  </Button>
                  <Text>{` ${line.quantity} `}</Text>
                  <Button
                    size="mini"
                    disabled={line.quantity >= 99}
                    onClick={() => void change(line.itemId, line.quantity + 1)}
                  >
                    ＋
                  </Button>
                </View>
              </View>
            ))}
          </View>
          <InlineError className="shop-error" message={offSale ? '请先删除已下架的商品' : actionError} />
          <View className="shop-bar">
            <View>
              <Text>合计 </Text>
              <MoneyText className="shop-price" fen={cart.totalFen} />
            </View>
            <Button
              type="primary"
              size="mini"
              disabled={offSale}
              onClick={() => void Taro.navigateTo({ url: SHOP_CHECKOUT_PAGE })}
            >
              去结算
            </Button>
          </View>
        </View>
      ) : null}
    </PageShell>
  );
}
