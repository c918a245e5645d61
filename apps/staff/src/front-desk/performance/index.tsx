import { Text, View } from '@tarojs/components';
import Taro from '@tarojs/taro';
import { useState } from 'react';
import { formatDateTime, formatFen, PageShell, todayInShanghai, useAsync } from '@lumi/mini';
import type { MyCommissionLine } from '@lumi/shared';
import { BILL_PAGE, HOME_PAGE } from '../../routes.ts';
import { getMyCommissions } from '../../services/counter.ts';
import '../front-desk.scss';

export type Period = 'day' | 'month';

/** The Shanghai days a period covers, ending today: today alone, or the month so far. */
export function periodRange(period: Period, today: string): { from: string; to: string } {
  return { from: period === 'day' ? today : `${today.slice(0, 8)}01`, to: today };
}

/** 我的业绩: my own 提成 today or this month — the total, per day, and every bill line behind it. */
export default function PerformancePage() {
  const [period, setPeriod] = useState<Period>('day');
  const [day, setDay] = useState<string | null>(null);
  const today = todayInShanghai();
  const { from, to } = periodRange(period, today);
  const { data, error, loading, reload } = useAsync(() => getMyCommissions(from, to), [from, to]);
  const lines = (data?.lines ?? []).filter((l) => !day || l.date === day);

  return (
    <PageShell loading={loading} error={error} onRetry={reload} backTo={HOME_PAGE} className="fd perf">
      <View className="fd__chips">
        {(['day', 'month'] as const).map((p) => (
          <Text
            key={p}
            className={`fd__chip perf__period${p === period ? ' fd__chip--on' : ''}`}
            onClick={() => {
              setPeriod(p);
              setDay(null);
            }}
          >
            {p === 'day' ? '今日' : '本月'}
          </Text>
        ))}
      </View>
      {data ? (
        <>
          <View className="fd__card">
            <Text className="fd__muted">{period === 'day' ? `今日 ${today}` : `${from} 至 ${to}`} 提成合计</Text>
            <Text className="fd__big perf__total">{formatFen(data.totalFen)}</Text>
          </View>
          {period === 'month' ? (
            <View className="fd__card">
              <Text className="fd__title">按日</Text>
              {data.days.length === 0 ? <Text className="fd__muted">本月还没有提成</Text> : null}
              {data.days.map((d) => (
                <View
                  key={d.date}
                  className={`fd__row perf__day${d.date === day ? ' perf__day--on' : ''}`}
                  onClick={() => setDay(d.date === day ? null : d.date)}
                >
                  <Text>
                    {d.date} · {d.lines} 项
                  </Text>
                  <Text className="fd__amount">{formatFen(d.amountFen)}</Text>
                </View>
              ))}
            </View>
          ) : null}
          <View className="fd__card">
            <Text className="fd__title">{day ? `${day} 明细` : '明细'}</Text>
            {lines.length === 0 ? <Text className="fd__muted">暂无提成明细</Text> : null}
            {lines.map((line, i) => (
              <CommissionLine key={`${line.billId}-${line.at}-${i}`} line={line} />
            ))}
            {data.linesTruncated ? <Text className="fd__muted">仅显示最近 500 条</Text> : null}
          </View>
        </>
      ) : null}
    </PageShell>
  );
}

function CommissionLine({ line }: { line: MyCommissionLine }) {
  return (
    <View
      className="fd__row perf__line"
      onClick={() => void Taro.navigateTo({ url: `${BILL_PAGE}?id=${line.billId}` })}
    >
      <View className="fd__main">
        <Text>
          {line.item}
          {line.reversal ? '（退款冲回）' : ''}
        </Text>
        <Text className="fd__muted">
          {line.billNumber} · {line.customerName ?? '顾客'} · {formatDateTime(line.at)}
        </Text>
      </View>
      <Text className="fd__amount">{formatFen(line.amountFen)}</Text>
    </View>
  );
}
