import { Button, Text, View } from '@tarojs/components';
import Taro, { useDidShow } from '@tarojs/taro';
import { InlineError, PageShell, useAsync } from '@lumi/mini';
import type { ShopCategory, ShopCategoryRequest } from '@lumi/shared';
import { useState } from 'react';
import { NEW_SHOP_ITEM_PAGE, SHOP_STOCK_PAGE } from '../../routes.ts';
import { createShopCategory, getShopCatalogue, updateShopCategory } from '../../services/shop.ts';
import { catalogueErrorMessage, fieldMessage } from '../item/item-errors.ts';
import { Field } from '../field.tsx';
import '../shop.scss';

/** A category as typed, or what is wrong with it in Chinese. */
function checkCategory(name: string, sortOrder: string): { request: ShopCategoryRequest } | { problem: string } {
  if (name.trim() === '') return { problem: '请填写分类名称' };
  if (name.trim().length > 40) return { problem: '分类名称最多 40 个字' };
  if (!/^\d{1,5}$/.test(sortOrder.trim()) || Number(sortOrder) > 10_000) {
    return { problem: fieldMessage('body.sortOrder') ?? '' };
  }
  return { request: { name: name.trim(), sortOrder: Number(sortOrder) } };
}

/**
 * 商品分类 (managers): the shop's categories in the customer's order, each renamed or moved, a new one added, and
 * a new item started in one. Every change is audited.
 */
export default function ShopCategoriesPage() {
  const { data, error, loading, reload, refresh } = useAsync(getShopCatalogue, []);
  const [actionError, setActionError] = useState<string | null>(null);
  const [busy, setBusy] = useState(false);
  useDidShow(() => {
    // Back from a new item: its category's count.
    if (data) refresh();
  });

  async function save(request: ShopCategoryRequest, id: string | null) {
    setBusy(true);
    setActionError(null);
    try {
      if (id) await updateShopCategory(id, request);
      else await createShopCategory(request);
      void Taro.showToast({ title: id ? '已保存' : '已新增', icon: 'success', duration: 1500 });
      refresh();
      return true;
    } catch (cause) {
      setActionError(catalogueErrorMessage(cause, '保存失败，请重试'));
      return false;
    } finally {
      setBusy(false);
    }
  }

  return (
    <PageShell loading={loading} error={error} onRetry={reload} backTo={SHOP_STOCK_PAGE}>
      {data ? (
        <View className="staff-shop">
          <InlineError className="staff-shop__error" message={actionError} />
          {data.categories.length === 0 ? <Text className="staff-shop__section">还没有分类</Text> : null}
          {data.categories.map((c) => (
            <CategoryRow
              key={`${c.id}-${c.name}-${c.sortOrder}`}
              category={c}
              items={data.items.filter((i) => i.categoryId === c.id).length}
              busy={busy}
              onSave={(request) => save(request, c.id)}
            />
          ))}
          <CategoryRow category={null} items={0} busy={busy} onSave={(request) => save(request, null)} />
        </View>
      ) : null}
    </PageShell>
  );
}

function CategoryRow({
  category,
  items,
  busy,
  onSave,
}: {
  /** null: the form adding a new category. */
  category: ShopCategory | null;
  items: number;
  busy: boolean;
  onSave: (request: ShopCategoryRequest) => Promise<boolean>;
}) {
  const [name, setName] = useState(category?.name ?? '');
  const [sortOrder, setSortOrder] = useState(String(category?.sortOrder ?? 0));
  const checked = checkCategory(name, sortOrder);
  const unchanged = category !== null && name.trim() === category.name && Number(sortOrder) === category.sortOrder;
  const problem = 'problem' in checked && (category !== null || name !== '') ? checked.problem : null;
  return (
    <View className="staff-shop__section">
      <Text className="staff-shop__title">{category ? `${category.name}（${items} 件商品）` : '新增分类'}</Text>
      <Field label="名称" placeholder="分类名称" value={name} onText={setName} />
      <Field label="排序" type="number" placeholder="排序（小的在前）" value={sortOrder} onText={setSortOrder} />
      <InlineError className="staff-shop__error" message={problem} />
      <View className="staff-shop__row">
        <Button
          size="mini"
          type="primary"
          disabled={busy || unchanged || 'problem' in checked}
          onClick={() => {
            if (!('request' in checked)) return;
            void onSave(checked.request).then((saved) => {
              if (saved && !category) setName('');
            });
          }}
        >
          {category ? '保存' : '新增分类'}
        </Button>
        {category ? (
          <Button
            size="mini"
            onClick={() =>
              void Taro.navigateTo({ url: `${NEW_SHOP_ITEM_PAGE}?categoryId=${encodeURIComponent(category.id)}` })
            }
          >
            在此分类新增商品
          </Button>
        ) : null}
      </View>
    </View>
  );
}
