import { Text, View } from '@tarojs/components';
import Taro, { useRouter } from '@tarojs/taro';
import { ActionButton, formatFen, PageShell, useKeysetList } from '@lumi/mini';
import { SEGMENT_CODES, SEGMENT_LABELS, type SegmentCode } from '@lumi/shared';
import { CUSTOMER_CARD_PAGE } from '../../routes.ts';
import { getSegmentCustomers } from '../../services/segmentation.ts';
import { ManagerOnly } from '../manager-only.tsx';
import '../manager.scss';

/** The front desk's customer card: wallet, cards, credit, notes — the one card page staff have. */
const openCard = (customerId: string) =>
  void Taro.navigateTo({ url: `${CUSTOMER_CARD_PAGE}?id=${encodeURIComponent(customerId)}` });

function SegmentCustomers({ segment }: { segment: SegmentCode }) {
  const list = useKeysetList((cursor: string | undefined) => getSegmentCustomers(segment, cursor));
  return (
    <PageShell
      loading={list.loading && list.items.length === 0}
      error={list.error}
      onRetry={list.reload}
      className="mg"
    >
      <View className="mg__card">
        <Text className="mg__title">
          {SEGMENT_LABELS[segment]} · {list.items.length}
          {list.hasMore ? '+' : ''} 位
        </Text>
        {list.items.map((c) => (
          <View key={c.customerId} className="mg__row mg__member" onClick={() => openCard(c.customerId)}>
            <View className="mg__main">
              <Text>{c.name ?? '未留名顾客'}</Text>
              <Text className="mg__muted">
                {c.phone ?? ''} · {c.recencyDays === null ? '未到店' : `${c.recencyDays} 天前到店`} · {c.frequency} 次
              </Text>
            </View>
            <Text className="mg__amount">{formatFen(c.monetaryFen)} ›</Text>
          </View>
        ))}
      </View>
      {list.hasMore ? (
        <ActionButton className="mg__more" disabled={list.loadingMore} onClick={list.loadMore}>
          加载更多
        </ActionButton>
      ) : null}
    </PageShell>
  );
}

function Segment() {
  const param = useRouter().params.segment ?? '';
  const segment = (SEGMENT_CODES as readonly string[]).includes(param) ? (param as SegmentCode) : null;
  return segment ? (
    <SegmentCustomers segment={segment} />
  ) : (
    <PageShell loading={false} error={null} empty emptyText="没有这个客群" className="mg">
      {null}
    </PageShell>
  );
}

export default function SegmentPage() {
  return (
    <ManagerOnly>
      <Segment />
    </ManagerOnly>
  );
}
