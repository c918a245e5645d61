import { Button, Input, Text, View } from '@tarojs/components';
import Taro from '@tarojs/taro';
import { ApiError, InlineError, MoneyText, PageShell, useAsync } from '@lumi/mini';
import type { ShopItem } from '@lumi/shared';
import { useState } from 'react';
import { getMyStaffProfile } from '../../services/profile.ts';
import { getShopCatalogue, setStock } from '../../services/shop.ts';
import '../shop.scss';

async function load() {
  const [profile, catalogue] = await Promise.all([getMyStaffProfile(), getShopCatalogue()]);
  return { profile, products: catalogue.items.filter((i) => i.kind === 'product') };
}

/** 商城库存 (managers): each product's count at one of their stores, set after a stock-take (audited). */
export default function ShopStockPage() {
  const { data, error, loading, reload, refresh } = useAsync(load, []);
  const [storeId, setStoreId] = useState<string | null>(null);
  const [actionError, setActionError] = useState<string | null>(null);
  const store = storeId ?? data?.profile.stores[0]?.id ?? null;

  async function save(item: ShopItem, quantity: number) {
    if (!store) return;
    setActionError(null);
    try {
      await setStock(item.id, store, quantity);
      void Taro.showToast({ title: '已保存', icon: 'success', duration: 1500 });
      refresh();
    } catch (cause) {
      setActionError(cause instanceof ApiError ? cause.message : '保存失败，请重试');
    }
  }

  return (
    <PageShell
      loading={loading}
      error={error}
      onRetry={reload}
      empty={!!data && data.products.length === 0}
      emptyText="还没有商品"
    >
      {data ? (
        <View className="staff-shop">
          <View className="staff-shop__chips staff-shop__section">
            {data.profile.stores.map((s) => (
              <Text key={s.id} className="staff-shop__chip" onClick={() => setStoreId(s.id)}>
                {s.id === store ? `✓ ${s.name}` : s.name}
              </Text>
            ))}
          </View>
          <InlineError className="staff-shop__error" message={actionError} />
          {data.products.map((item) => (
            <StockRow
              key={`${item.id}-${store}`}
              item={item}
              quantity={item.stock.find((s) => s.storeId === store)?.quantity ?? 0}
              onSave={(q) => void save(item, q)}
            />
          ))}
        </View>
      ) : null}
    </PageShell>
  );
}

function StockRow({
  item,
  quantity,
  onSave,
}: {
  item: ShopItem;
  quantity: number;
  onSave: (quantity: number) => void;
}) {
  const [value, setValue] = useState(String(quantity));
  const parsed = /^\d{1,6}$/.test(value) ? Number(value) : null;
  return (
    <View className="staff-shop__section">
      <View className="staff-shop__row">
        <Text>{item.onSale ? item.name : `${item.name}（已下架）`}</Text>
        <MoneyText fen={item.listPriceFen} />
      </View>
      <View className="staff-shop__row">
        <Text>{`库存 ${quantity}`}</Text>
        <Input className="staff-shop__input" type="number" value={value} onInput={(e) => setValue(e.detail.value)} />
        <Button
          size="mini"
          disabled={parsed === null || parsed === quantity}
          onClick={() => parsed !== null && onSave(parsed)}
        >
          保存
        </Button>
      </View>
    </View>
  );
}
