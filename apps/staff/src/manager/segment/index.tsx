import { Text, View } from '@tarojs/components';
import { useRouter } from '@tarojs/taro';
import { formatFen, PageShell, useAsync } from '@lumi/mini';
import { SEGMENT_CODES, SEGMENT_LABELS, type SegmentCode } from '@lumi/shared';
import { getSegmentCustomers } from '../../services/segmentation.ts';
import { ManagerOnly } from '../manager-only.tsx';
import '../manager.scss';

function SegmentCustomers() {
  const param = useRouter().params.segment ?? '';
  const segment = (SEGMENT_CODES as readonly string[]).includes(param) ? (param as SegmentCode) : null;
  const { data, error, loading, reload } = useAsync(
    () => (segment ? getSegmentCustomers(segment) : Promise.resolve({ items: [], nextCursor: null })),
    [segment],
  );
  return (
    <PageShell loading={loading} error={error} onRetry={reload} className="mg">
      {data && segment ? (
        <View className="mg__card">
          <Text className="mg__title">
            {SEGMENT_LABELS[segment]} · {data.items.length}
            {data.nextCursor ? '+' : ''} 位
          </Text>
          {data.items.map((c) => (
            <View key={c.customerId} className="mg__row mg__member">
              <View className="mg__main">
                <Text>{c.name ?? '未留名顾客'}</Text>
                <Text className="mg__muted">
                  {c.phone ?? ''} · {c.recencyDays === null ? '未到店' : `${c.recencyDays} 天前到店`} · {c.frequency} 次
                </Text>
              </View>
              <Text className="mg__amount">{formatFen(c.monetaryFen)}</Text>
            </View>
          ))}
        </View>
      ) : null}
    </PageShell>
  );
}

export default function SegmentPage() {
  return (
    <ManagerOnly>
      <SegmentCustomers />
    </ManagerOnly>
  );
}
