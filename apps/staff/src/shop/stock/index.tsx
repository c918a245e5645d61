import { Button, Input, Text, View } from '@tarojs/components';
import Taro, { useDidShow } from '@tarojs/taro';
import { ApiError, InlineError, MoneyText, PageShell, useAsync } from '@lumi/mini';
import type { ShopItem, ShopSettings } from '@lumi/shared';
import { useState } from 'react';
import { getMyStaffProfile } from '../../services/profile.ts';
import { NEW_SHOP_ITEM_PAGE, SHOP_CATEGORIES_PAGE, shopItemPage } from '../../routes.ts';
import { getShopCatalogue, getShopSettings, setStock, updateShopSettings } from '../../services/shop.ts';
import '../shop.scss';
import { ShopSettingsForm } from './settings-form.tsx';

async function load() {
  const [profile, catalogue, settings] = await Promise.all([
    getMyStaffProfile(),
    getShopCatalogue(),
    getShopSettings(),
  ]);
  return { profile, items: catalogue.items, settings };
}

/**
 * 商城管理 (managers): the shop's settings, every item with a way into its editor, a new item or the categories,
 * and each product's count at one of their stores, set after a stock-take. Every change is audited.
 */
export default function ShopStockPage() {
  const { data, error, loading, reload, refresh } = useAsync(load, []);
  const [storeId, setStoreId] = useState<string | null>(null);
  const [actionError, setActionError] = useState<string | null>(null);
  const [busy, setBusy] = useState(false);
  const store = storeId ?? data?.profile.stores[0]?.id ?? null;
  useDidShow(() => {
    // Back from the item editor: show what was saved there.
    if (data) refresh();
  });

  async function saveSettings(settings: ShopSettings) {
    setBusy(true);
    setActionError(null);
    try {
      await updateShopSettings(settings);
      void Taro.showToast({ title: '设置已保存', icon: 'success', duration: 1500 });
      refresh();
    } catch (cause) {
      setActionError(cause instanceof ApiError ? cause.message : '保存失败，请重试');
    } finally {
      setBusy(false);
    }
  }

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
    <PageShell loading={loading} error={error} onRetry={reload}>
      {data ? (
        <View className="staff-shop">
          <ShopSettingsForm
            key={JSON.stringify(data.settings)}
            settings={data.settings}
            busy={busy}
            onSave={(s) => void saveSettings(s)}
          />
          <View className="staff-shop__row staff-shop__section">
            <Button size="mini" type="primary" onClick={() => void Taro.navigateTo({ url: NEW_SHOP_ITEM_PAGE })}>
              新增商品
            </Button>
            <Button size="mini" onClick={() => void Taro.navigateTo({ url: SHOP_CATEGORIES_PAGE })}>
              商品分类
            </Button>
          </View>
          <View className="staff-shop__chips staff-shop__section">
            {data.profile.stores.map((s) => (
              <Text key={s.id} className="staff-shop__chip" onClick={() => setStoreId(s.id)}>
                {s.id === store ? `✓ ${s.name}` : s.name}
              </Text>
            ))}
          </View>
          <InlineError className="staff-shop__error" message={actionError} />
          {data.items.length === 0 ? <Text className="staff-shop__section">还没有商品</Text> : null}
          {data.items.map((item) => (
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
        <Button size="mini" onClick={() => void Taro.navigateTo({ url: shopItemPage(item.id) })}>
          编辑
        </Button>
      </View>
      {item.kind === 'product' ? (
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
      ) : null}
    </View>
  );
}
