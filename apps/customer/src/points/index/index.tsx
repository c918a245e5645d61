import { Button, Text, View } from '@tarojs/components';
import {
  formatChineseDate,
  formatCount,
  formatDateTime,
  formatFen,
  PageShell,
  pointsWithWorth,
  useAsync,
  useKeysetList,
} from '@lumi/mini';
import { type Entry, transferKindLabel } from '@lumi/shared';
import { ME_PAGE } from '../../routes.ts';
import { getMyBucketEntries, getMyPoints } from '../../services/points.ts';

export default function PointsPage() {
  const summary = useAsync(getMyPoints);
  const history = useKeysetList((cursor?: number) => getMyBucketEntries('points', cursor));

  return (
    <PageShell
      loading={summary.loading}
      error={summary.error}
      onRetry={summary.reload}
      backTo={ME_PAGE}
      className="points m-page"
    >
      {summary.data ? (
        <>
          <View className="m-hero">
            <Text className="m-hero__label">可用积分</Text>
            <Text className="m-hero__value">{formatCount(summary.data.points)}</Text>
            {summary.data.pointValueFen > 0 ? (
              <Text className="m-hero__note">
                价值 {formatFen(summary.data.valueFen)} · 每积分抵 {formatFen(summary.data.pointValueFen)}
              </Text>
            ) : null}
          </View>
          <View className="m-card">
            <Text className="m-title">即将到期</Text>
            {summary.data.expiring.length === 0 ? (
              <Text className="m-empty">暂无待到期积分</Text>
            ) : (
              summary.data.expiring.map((lot) => (
                <View key={lot.expiresOn} className="m-row points__lot">
                  <Text>{formatChineseDate(lot.expiresOn)} 到期</Text>
                  <Text className="m-strong">{pointsWithWorth(lot.points, summary.data?.pointValueFen ?? 0)}</Text>
                </View>
              ))
            )}
          </View>
        </>
      ) : null}
      <View className="m-card">
        <Text className="m-title">积分明细</Text>
        {history.loading ? <Text className="m-empty">加载中…</Text> : null}
        {history.error ? <Text className="m-empty">{history.error.message}</Text> : null}
        {!history.loading && !history.error && history.items.length === 0 ? (
          <Text className="m-empty">暂无积分记录</Text>
        ) : null}
        {history.items.map((entry) => (
          <PointsLine key={entry.id} entry={entry} />
        ))}
        {history.hasMore ? (
          <Button className="m-button" onClick={history.loadMore}>
            {history.loadingMore ? '加载中…' : '加载更多'}
          </Button>
        ) : null}
      </View>
    </PageShell>
  );
}

function PointsLine({ entry }: { entry: Entry }) {
  const where = [entry.store?.name, formatDateTime(entry.at)].filter(Boolean).join(' · ');
  return (
    <View className="m-row points__entry">
      <View className="points__what">
        <Text>{transferKindLabel(entry.kind)}</Text>
        <Text className="m-meta">{where}</Text>
      </View>
      <Text className={entry.amount > 0 ? 'm-strong m-in' : 'm-strong m-out'}>
        {entry.amount > 0 ? '+' : ''}
        {formatCount(entry.amount)}
      </Text>
    </View>
  );
}
