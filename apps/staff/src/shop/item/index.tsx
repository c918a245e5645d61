import Taro, { useRouter } from '@tarojs/taro';
import { ApiError, PageShell, useAsync } from '@lumi/mini';
import type { ShopItem } from '@lumi/shared';
import { useState } from 'react';
import { SHOP_STOCK_PAGE, shopItemPage } from '../../routes.ts';
import { getCatalog } from '../../services/checkout.ts';
import { listTopUpPlans } from '../../services/front-desk.ts';
import { getMyStaffProfile } from '../../services/profile.ts';
import { createShopItem, getShopCatalogue, getTierProgram, setStock, updateShopItem } from '../../services/shop.ts';
import '../shop.scss';
import { type CheckedDraft, draftOf, newDraft } from './item-draft.ts';
import { catalogueErrorMessage } from './item-errors.ts';
import { ItemForm, type ItemRefs } from './item-form.tsx';

async function load(itemId: string | null) {
  const [profile, catalogue, tiers, staffCatalog, topUpPlans] = await Promise.all([
    getMyStaffProfile(),
    getShopCatalogue(),
    getTierProgram(),
    getCatalog(),
    listTopUpPlans(),
  ]);
  const item = itemId ? catalogue.items.find((i) => i.id === itemId) : null;
  if (itemId && !item) throw new ApiError('NOT_FOUND', '商品不存在', 404);
  const refs: ItemRefs = {
    service_voucher: staffCatalog.services,
    package_card: staffCatalog.packagePlans,
    top_up_plan: topUpPlans,
  };
  return { profile, catalogue, item: item ?? null, tiers: tiers.levels, refs };
}

/**
 * 新增商品 / 编辑商品 (managers): without an id a new item (in the category named, if any), with one that item.
 * Saving sends the whole item, then each store's count of a product that changed; every save is audited.
 */
export default function ShopItemPage() {
  const params = useRouter().params;
  const itemId = params.id ?? null;
  const { data, error, loading, reload, refresh } = useAsync(() => load(itemId), [itemId]);
  const [busy, setBusy] = useState(false);
  const [actionError, setActionError] = useState<string | null>(null);
  const item = data?.item ?? null;

  async function save({ request, stock }: Extract<CheckedDraft, { ok: true }>) {
    setBusy(true);
    setActionError(null);
    try {
      const saved = item ? await updateShopItem(item.id, request) : await createShopItem(request);
      await saveStock(saved, stock, item);
      void Taro.showToast({ title: item ? '已保存' : '已新增', icon: 'success', duration: 1500 });
      if (item) refresh();
      else void Taro.redirectTo({ url: shopItemPage(saved.id) });
    } catch (cause) {
      setActionError(catalogueErrorMessage(cause, '保存失败，请重试'));
    } finally {
      setBusy(false);
    }
  }

  const storeIds = data?.profile.stores.map((s) => s.id) ?? [];
  return (
    <PageShell loading={loading} error={error} onRetry={reload} backTo={SHOP_STOCK_PAGE}>
      {data ? (
        <ItemForm
          key={JSON.stringify(item)}
          initial={item ? draftOf(item, storeIds) : newDraft(params.categoryId ?? null, storeIds)}
          isNew={!item}
          categories={data.catalogue.categories}
          tiers={data.tiers}
          stores={data.profile.stores}
          refs={data.refs}
          busy={busy}
          actionError={actionError}
          onSave={(checked) => void save(checked)}
        />
      ) : null}
    </PageShell>
  );
}

/** Each store's count of a product that differs from what the item had (a new one had none). */
async function saveStock(saved: ShopItem, stock: Record<string, number>, before: ShopItem | null) {
  if (saved.kind !== 'product') return;
  for (const [storeId, quantity] of Object.entries(stock)) {
    const was = before?.stock.find((s) => s.storeId === storeId)?.quantity ?? 0;
    if (quantity !== was) await setStock(saved.id, storeId, quantity);
  }
}
