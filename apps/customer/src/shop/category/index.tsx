import { View } from '@tarojs/components';
import Taro, { useRouter } from '@tarojs/taro';
import { PageShell, useAsync } from '@lumi/mini';
import { useEffect } from 'react';
import { getCatalogue } from '../../services/shop.ts';
import { ItemCard } from '../../shop-common/item-card.tsx';
import '../../shop-common/shop.scss';

/** One category's items on sale, in the salon's order. */
export default function ShopCategoryPage() {
  const categoryId = useRouter().params.id ?? '';
  const { data, error, loading, reload } = useAsync(getCatalogue, []);
  const category = data?.categories.find((c) => c.id === categoryId);
  const items = data?.items.filter((i) => i.categoryId === categoryId) ?? [];
  useEffect(() => {
    if (category) void Taro.setNavigationBarTitle({ title: category.name });
  }, [category]);
  return (
    <PageShell
      loading={loading}
      error={error}
      onRetry={reload}
      empty={!!data && items.length === 0}
      emptyText="这个分类暂时没有商品"
    >
      <View className="shop-grid">
        {items.map((item) => (
          <ItemCard key={item.id} item={item} />
        ))}
      </View>
    </PageShell>
  );
}
