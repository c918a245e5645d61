import { Picker, Text, View } from '@tarojs/components';
import Taro from '@tarojs/taro';
import { ActionButton, formatCount, formatFen, InlineError, PageShell, todayInShanghai, useAsync } from '@lumi/mini';
import type { ManagerReport } from '@lumi/shared';
import { useState } from 'react';
import { getReport, reconcileDay } from '../../services/reports.ts';
import { decisionErrorMessage } from '../decision.ts';
import { ChartCard } from '../chart/chart-card.tsx';
import { revenueByDay, revenueByStore, revenueByTender } from '../chart/report-data.ts';
import { ManagerOnly } from '../manager-only.tsx';
import '../manager.scss';

const PERIODS = [
  { key: 'day', label: '今日' },
  { key: 'month', label: '本月' },
] as const;

/** What differs, as a manager says it; a refund line says 退款, a payment line 支付. */
const MISMATCH_LABELS: Record<string, string> = {
  state: '状态不一致',
  amount: '金额不一致',
  missing_at_wechat: '系统有、微信无',
  missing_in_lumi: '微信有、系统无',
  not_in_ledger: '已收款未入账',
  query_failed: '查询失败',
};

function mismatchLabel(m: { kind: string; outRefundNo: string | null }): string {
  return `${m.outRefundNo ? '退款' : '支付'}${MISMATCH_LABELS[m.kind] ?? m.kind}`;
}

function Row(props: { label: string; value: string; note?: string }) {
  return (
    <View className="mg__row">
      <View className="mg__main">
        <Text>{props.label}</Text>
        {props.note ? <Text className="mg__muted">{props.note}</Text> : null}
      </View>
      <Text className="mg__amount">{props.value}</Text>
    </View>
  );
}

/** 立即对账 for the report's day — today so far (the nightly run only covers the day before) or a past day again. */
function ReconcileNow({ date, onDone }: { date: string; onDone: () => void }) {
  const [busy, setBusy] = useState(false);
  const [problem, setProblem] = useState<string | null>(null);
  async function run() {
    if (busy) return;
    setBusy(true);
    setProblem(null);
    try {
      const done = await reconcileDay(date);
      void Taro.showToast({
        title: `${done.source === 'bill' ? '按微信对账单' : '逐笔查询'}核对 ${done.ordersChecked} 笔支付、${done.refundsChecked} 笔退款，差异 ${done.mismatches.length} 笔`,
        icon: 'none',
        duration: 2500,
      });
      onDone();
    } catch (cause) {
      setProblem(decisionErrorMessage(cause, '对账失败，请稍后重试'));
    } finally {
      setBusy(false);
    }
  }
  return (
    <>
      <ActionButton className="mg__reconcile" size="mini" disabled={busy} onClick={() => void run()}>
        {busy ? '对账中…' : date === todayInShanghai() ? '立即对账（今日截至现在）' : `立即对账（${date}）`}
      </ActionButton>
      <InlineError className="mg__error" message={problem} />
    </>
  );
}

function Figures({ report, onReconciled }: { report: ManagerReport; onReconciled: () => void }) {
  const { revenue, topUps, liabilities, commissions, reconciliation } = report;
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
      <View className="mg__card mg__report-reconciliation">
        <Text className="mg__title">微信支付对账</Text>
        <Text className="mg__muted">
          已对账 {reconciliation.daysChecked} 天 · 差异 {reconciliation.mismatches.length} 笔（每天 04:30
          自动核对前一天，10:30 微信出账单后再按账单双向核对）
        </Text>
        {reconciliation.daysChecked > reconciliation.daysWithBill ? (
          <Text className="mg__muted mg__reconcile-source">
            其中 {reconciliation.daysChecked - reconciliation.daysWithBill}{' '}
            天微信对账单未出，仅逐笔查询，查不到微信有而系统无的款项
          </Text>
        ) : null}
        {report.period === 'day' ? <ReconcileNow date={report.to} onDone={onReconciled} /> : null}
        {reconciliation.mismatches.map((m) => (
          <Row
            key={`${m.outTradeNo}-${m.outRefundNo ?? ''}-${m.kind}`}
            label={`${m.date} ${mismatchLabel(m)}`}
            note={m.outRefundNo ?? m.outTradeNo}
            value={`${m.localAmountFen === null ? '—' : formatFen(m.localAmountFen)} / ${m.wechatAmountFen === null ? '—' : formatFen(m.wechatAmountFen)}`}
          />
        ))}
      </View>
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
