import { Picker, Text, View } from '@tarojs/components';
import { formatCount, formatFen, PageShell, todayInShanghai, useAsync } from '@lumi/mini';
import type { ManagerReport } from '@lumi/shared';
import { useState } from 'react';
import { getReport } from '../../services/reports.ts';
import { ChartCard } from '../chart/chart-card.tsx';
import { revenueByDay, revenueByStore, revenueByTender } from '../chart/report-data.ts';
import { ManagerOnly } from '../manager-only.tsx';
import { ReconciliationCard } from './reconciliation-card.tsx';
import { Row } from './report-row.tsx';
import '../manager.scss';

const PERIODS = [
  { key: 'day', label: '今日' },
  { key: 'month', label: '本月' },
] as const;

function Figures({ report, onReconciled }: { report: ManagerReport; onReconciled: () => void }) {
  const { revenue, topUps, liabilities, commissions } = report;
  return (
    <>
      <View className="mg__card mg__report-revenue">
        <Text className="mg__title">
          营收 {report.from === report.to ? report.from : `${report.from} 至 ${report.to}`}
        </Text>
        <Row label="实收净额" value={formatFen(revenue.netFen)} />
        <Row label="结账" value={formatFen(revenue.salesFen)} note={`${revenue.bills} 单`} />
        <Row label="退款与撤销" value={`−${formatFen(revenue.refundsFen)}`} note={`${revenue.refunds} 笔`} />
      </View>
      <ChartCard id="report-days" title="每日营收" kind="line" data={revenueByDay(report, formatFen)} />
      <ChartCard id="report-tenders" title="按支付方式" kind="pie" data={revenueByTender(report, formatFen)} />
      <ChartCard id="report-stores" title="按门店" kind="bar" data={revenueByStore(report, formatFen)} />
      <View className="mg__card mg__report-top-ups">
        <Text className="mg__title">充值</Text>
        <Row label="充值本金" value={formatFen(topUps.principalFen)} note={`${topUps.count} 笔`} />
        <Row label="赠送金" value={formatFen(topUps.bonusFen)} />
        <Row label="退储值" value={formatFen(topUps.refundedFen)} />
      </View>
      <View className="mg__card mg__report-liabilities">
        <Text className="mg__title">负债（当前）</Text>
        <Row label="储值本金" value={formatFen(liabilities.storedPrincipalFen)} />
        <Row label="赠送金" value={formatFen(liabilities.storedBonusFen)} />
        <Row label="积分" value={`${formatCount(liabilities.points)} 分`} />
        <Row
          label="次卡剩余"
          value={`${formatCount(liabilities.packageSessions)} 次`}
          note={`预收 ${formatFen(liabilities.packageDeferredFen)}`}
        />
        <Row label="商城服务券未使用" value={formatFen(liabilities.voucherDeferredFen)} />
      </View>
      <View className="mg__card mg__report-commissions">
        <Text className="mg__title">员工提成</Text>
        {commissions.length === 0 ? <Text className="mg__muted">暂无提成</Text> : null}
        {commissions.map((c) => (
          <Row key={c.staffId} label={c.name} value={formatFen(c.amountFen)} note={`${c.lines} 项`} />
        ))}
      </View>
      <ReconciliationCard report={report} onReconciled={onReconciled} />
    </>
  );
}

function Reports() {
  const [period, setPeriod] = useState<'day' | 'month'>('day');
  // The day shown (its month in the month view); today until the manager picks another.
  const [day, setDay] = useState(todayInShanghai);
  const { data, error, loading, reload, refresh } = useAsync(() => getReport(period, { date: day }), [period, day]);
  return (
    <PageShell loading={loading && !data} error={error} onRetry={reload} className="mg">
      <View className="mg__chips">
        {PERIODS.map((p) => (
          <Text
            key={p.key}
            className={`mg__chip mg__period--${p.key}${p.key === period ? ' mg__chip--on' : ''}`}
            onClick={() => setPeriod(p.key)}
          >
            {p.label}
          </Text>
        ))}
        <Picker
          mode="date"
          value={day}
          end={todayInShanghai()}
          onChange={(event) => setDay(String(event.detail.value))}
        >
          <Text className="mg__chip mg__report-day">日期 {day}</Text>
        </Picker>
      </View>
      {data ? <Figures report={data} onReconciled={refresh} /> : null}
    </PageShell>
  );
}

export default function ReportsPage() {
  return (
    <ManagerOnly>
      <Reports />
    </ManagerOnly>
  );
}
