import { Button, Input, Text, View } from '@tarojs/components';
import Taro, { useRouter } from '@tarojs/taro';
import { ApiError, fenToYuanString, InlineError, PageShell, parseYuanInput, useAsync } from '@lumi/mini';
import type { ShopItem, ShopItemRequest } from '@lumi/shared';
import { useState } from 'react';
import { getMyStaffProfile } from '../../services/profile.ts';
import { getShopCatalogue, setStock, updateShopItem } from '../../services/shop.ts';
import '../shop.scss';

async function load(itemId: string) {
  const [profile, catalogue] = await Promise.all([getMyStaffProfile(), getShopCatalogue()]);
  const item = catalogue.items.find((i) => i.id === itemId);
  if (!item) throw new ApiError('NOT_FOUND', '商品不存在', 404);
  return { profile, item };
}

/** The item as the API takes it back: everything it is, with the manager's changes. */
export function itemRequest(item: ShopItem, change: Partial<ShopItemRequest>): ShopItemRequest {
  const { id: _id, stock: _stock, priceFen: _price, ...request } = item;
  return { ...request, ...change };
}

const wholeNumber = (text: string, max: number) =>
  /^\d{1,9}$/.test(text.trim()) && Number(text) <= max ? Number(text) : null;

/**
 * 编辑商品 (managers): name, list price, points price, on or off sale, sort order, and — for products — the count at
 * each of their stores. Member prices per tier are kept as they are. Every save is audited by the API.
 */
export default function ShopItemPage() {
  const itemId = useRouter().params.id ?? '';
  const { data, error, loading, reload, refresh } = useAsync(() => load(itemId), [itemId]);
  return (
    <PageShell loading={loading} error={error} onRetry={reload}>
      {data ? (
        <ItemForm key={JSON.stringify(data.item)} item={data.item} stores={data.profile.stores} onSaved={refresh} />
      ) : null}
    </PageShell>
  );
}

function ItemForm({
  item,
  stores,
  onSaved,
}: {
  item: ShopItem;
  stores: { id: string; name: string }[];
  onSaved: () => void;
}) {
  const [name, setName] = useState(item.name);
  const [price, setPrice] = useState(fenToYuanString(item.listPriceFen));
  const [points, setPoints] = useState(item.pointsPrice ? String(item.pointsPrice) : '');
  const [onSale, setOnSale] = useState(item.onSale);
  const [sortOrder, setSortOrder] = useState(String(item.sortOrder));
  const [stock, setStockText] = useState<Record<string, string>>(() =>
    Object.fromEntries(stores.map((s) => [s.id, String(item.stock.find((x) => x.storeId === s.id)?.quantity ?? 0)])),
  );
  const [busy, setBusy] = useState(false);
  const [actionError, setActionError] = useState<string | null>(null);

  const listPrice = parseYuanInput(price);
  const pointsPrice = points.trim() === '' ? null : wholeNumber(points, 100_000_000);
  const sort = wholeNumber(sortOrder, 10_000);
  const problem =
    name.trim() === ''
      ? '请填写商品名称'
      : !listPrice.ok
        ? listPrice.message
        : points.trim() !== '' && (pointsPrice === null || pointsPrice < 1)
          ? '积分价为正整数，不设则留空'
          : sort === null
            ? '排序为 0–10000 的整数'
            : Object.values(stock).some((q) => wholeNumber(q, 1_000_000) === null)
              ? '库存为非负整数'
              : null;

  async function save() {
    if (problem || !listPrice.ok || sort === null) return;
    setBusy(true);
    setActionError(null);
    try {
      await updateShopItem(
        item.id,
        itemRequest(item, { name: name.trim(), listPriceFen: listPrice.fen, pointsPrice, onSale, sortOrder: sort }),
      );
      if (item.kind === 'product') {
        for (const store of stores) {
          const quantity = Number(stock[store.id]);
          const was = item.stock.find((x) => x.storeId === store.id)?.quantity ?? 0;
          if (quantity !== was) await setStock(item.id, store.id, quantity);
        }
      }
      void Taro.showToast({ title: '已保存', icon: 'success', duration: 1500 });
      onSaved();
    } catch (cause) {
      setActionError(cause instanceof ApiError ? cause.message : '保存失败，请重试');
    } finally {
      setBusy(false);
    }
  }

  return (
    <View className="staff-shop">
      <View className="staff-shop__section">
        <Text>商品名称</Text>
        <Input className="staff-shop__input" value={name} maxlength={60} onInput={(e) => setName(e.detail.value)} />
        <Text>售价（元）</Text>
        <Input className="staff-shop__input" type="digit" value={price} onInput={(e) => setPrice(e.detail.value)} />
        <Text>积分价（不设则留空）</Text>
        <Input
          className="staff-shop__input"
          type="number"
          placeholder="不设"
          value={points}
          onInput={(e) => setPoints(e.detail.value)}
        />
        <Text>排序（小的在前）</Text>
        <Input
          className="staff-shop__input"
          type="number"
          value={sortOrder}
          onInput={(e) => setSortOrder(e.detail.value)}
        />
        <View className="staff-shop__chips">
          <Text className="staff-shop__chip" onClick={() => setOnSale(true)}>
            {onSale ? '✓ 在售' : '在售'}
          </Text>
          <Text className="staff-shop__chip" onClick={() => setOnSale(false)}>
            {onSale ? '下架' : '✓ 下架'}
          </Text>
        </View>
        {item.tierPrices.length > 0 ? (
          <Text className="staff-shop__note">{`会员价 ${item.tierPrices.length} 档保持不变`}</Text>
        ) : null}
      </View>
      {item.kind === 'product' ? (
        <View className="staff-shop__section">
          <Text className="staff-shop__title">各门店库存</Text>
          {stores.map((s) => (
            <View key={s.id} className="staff-shop__row">
              <Text>{s.name}</Text>
              <Input
                className="staff-shop__input"
                type="number"
                placeholder={`${s.name}库存`}
                value={stock[s.id] ?? '0'}
                onInput={(e) => setStockText({ ...stock, [s.id]: e.detail.value })}
              />
            </View>
          ))}
        </View>
      ) : null}
      <InlineError className="staff-shop__error" message={actionError ?? problem} />
      <View className="staff-shop__section">
        <Button type="primary" disabled={busy || problem !== null} onClick={() => void save()}>
          {busy ? '保存中…' : '保存'}
        </Button>
      </View>
    </View>
  );
}
