import { Text, View } from '@tarojs/components';
import Taro from '@tarojs/taro';
import { ActionButton, formatFen, InlineError, todayInShanghai } from '@lumi/mini';
import type { ManagerReport } from '@lumi/shared';
import { useState } from 'react';
import { reconcileDay } from '../../services/reports.ts';
import { decisionErrorMessage } from '../decision.ts';
import { Row } from './report-row.tsx';
import { billProblemNote, periodSettlement } from './settlement.ts';

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

/**
 * The money side: what WeChat's fund-flow bill says reached the account (payments − refunds − fees) beside what
 * Lumi's own records say should have. A difference is money no order or refund in Lumi explains.
 */
function Settlement({ days }: { days: ManagerReport['reconciliation']['days'] }) {
  const money = periodSettlement(days);
  if (!money) return null;
  const differenceFen = money.netFen - money.expectedNetFen;
  return (
    <View className="mg__settlement">
      <Text className="mg__muted">微信资金账单（基本账户）{days.length > 1 ? ` · ${money.days} 天` : ''}</Text>
      <Row label="微信收款" value={formatFen(money.receivedFen)} />
      <Row label="退款" value={`−${formatFen(money.refundedFen)}`} />
      <Row label="手续费" value={`−${formatFen(money.feesFen)}`} />
      <Row label="实际入账" value={formatFen(money.netFen)} className="mg__settlement-net" />
      <Row
        label="系统应入账"
        note="系统收款 − 系统退款 − 账单手续费"
        value={formatFen(money.expectedNetFen)}
        className="mg__settlement-expected"
      />
      <Text className={`mg__settlement-status${differenceFen === 0 ? '' : ' mg__error'}`}>
        {differenceFen === 0
          ? '资金一致'
          : `相差 ${formatFen(Math.abs(differenceFen))}：微信实际入账${differenceFen > 0 ? '多于' : '少于'}系统记录，见下方差异`}
      </Text>
    </View>
  );
}

export function ReconciliationCard({ report, onReconciled }: { report: ManagerReport; onReconciled: () => void }) {
  const { reconciliation } = report;
  const refused = reconciliation.days.flatMap((d) => billProblemNote(d) ?? []);
  const withoutBill = reconciliation.days.filter((d) => d.source === 'queries' && d.billProblem !== 'integrity');
  return (
    <View className="mg__card mg__report-reconciliation">
      <Text className="mg__title">微信支付对账</Text>
      <Text className="mg__muted">
        已对账 {reconciliation.daysChecked} 天 · 差异 {reconciliation.mismatches.length} 笔（每天 04:30
        自动核对前一天，10:30 微信出账单后再按账单双向核对）
      </Text>
      {withoutBill.length > 0 ? (
        <Text className="mg__muted mg__reconcile-source">
          其中 {withoutBill.length} 天微信对账单未出，仅逐笔查询，查不到微信有而系统无的款项
        </Text>
      ) : null}
      {refused.map((note) => (
        <Text key={note} className="mg__error mg__bill-refused">
          {note}
        </Text>
      ))}
      <Settlement days={reconciliation.days} />
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
  );
}
