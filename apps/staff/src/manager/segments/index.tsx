import { Text, View } from '@tarojs/components';
import Taro from '@tarojs/taro';
import { formatCount, formatDateTime, formatFen, PageShell, useAsync } from '@lumi/mini';
import { SEGMENT_LABELS } from '@lumi/shared';
import { SEGMENT_PAGE } from '../../routes.ts';
import { getDashboard } from '../../services/segmentation.ts';
import { ChartCard } from '../chart/chart-card.tsx';
import {
  owedMoney,
  segmentSizes,
  spendShares,
  tierDistribution,
  topMoves,
  weeklyTransitions,
} from '../chart/chart-data.ts';
import { ManagerOnly } from '../manager-only.tsx';
import '../manager.scss';

const openSegment = (segment: string) => void Taro.navigateTo({ url: `${SEGMENT_PAGE}?segment=${segment}` });

function Segments() {
  const { data, error, loading, reload } = useAsync(getDashboard);
  const owed = data ? owedMoney(data.liabilities, formatFen) : [];
  return (
    <PageShell loading={loading} error={error} onRetry={reload} className="mg">
      {data ? (
        <>
          <Text className="mg__muted mg__as-of">
            共 {data.customers} 位顾客 · {data.asOf ? `分群计算于 ${formatDateTime(data.asOf)}` : '尚未计算分群'}
          </Text>
          <ChartCard
            id="segment-sizes"
            title="客群规模（点选查看顾客）"
            kind="bar"
            data={segmentSizes(data)}
            onSelect={openSegment}
          />
          <ChartCard
            id="spend-share"
            title="消费占比"
            kind="pie"
            data={spendShares(data, formatFen)}
            onSelect={openSegment}
          />
          <ChartCard id="transitions" title="每周客群流转" kind="bar" data={weeklyTransitions(data)} />
          <View className="mg__card mg__moves">
            <Text className="mg__title">主要流转</Text>
            {topMoves(data).map((move) => (
              <Text key={`${move.from}-${move.to}`} className="mg__reason">
                {move.text}
              </Text>
            ))}
          </View>
          <ChartCard id="tiers" title="会员等级分布" kind="bar" data={tierDistribution(data)} />
          <ChartCard
            id="liability"
            title="负债构成"
            kind="pie"
            data={owed}
            note={`合计 ${formatFen(owed.reduce((sum, d) => sum + d.value, 0))} · 储值顾客 ${data.storedValueLiability.customers} 位`}
          />
          <View className="mg__card mg__owed-counts">
            <Text className="mg__title">积分与次卡负债</Text>
            <View className="mg__row mg__owed-points">
              <Text>未用积分</Text>
              <Text className="mg__amount">{formatCount(data.liabilities.points)} 分</Text>
            </View>
            <View className="mg__row mg__owed-sessions">
              <Text>次卡剩余</Text>
              <Text className="mg__amount">{formatCount(data.liabilities.packageSessions)} 次</Text>
            </View>
          </View>
          <View className="mg__card mg__top">
            <Text className="mg__title">消费前 {data.topCustomers.length} 位顾客</Text>
            {data.topCustomers.map((c) => (
              <View key={c.customerId} className="mg__row">
                <View className="mg__main">
                  <Text>{c.name ?? '未留名顾客'}</Text>
                  <Text className="mg__muted">
                    {SEGMENT_LABELS[c.segment]} · {c.frequency} 次
                  </Text>
                </View>
                <Text className="mg__amount">{formatFen(c.monetaryFen)}</Text>
              </View>
            ))}
          </View>
        </>
      ) : null}
    </PageShell>
  );
}

export default function SegmentsPage() {
  return (
    <ManagerOnly>
      <Segments />
    </ManagerOnly>
  );
}
