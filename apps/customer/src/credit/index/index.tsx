import { Input, Text, View } from '@tarojs/components';
import Taro from '@tarojs/taro';
import { useState } from 'react';
import {
  ActionButton,
  formatDate,
  formatDateTime,
  formatFen,
  InlineError,
  instalmentView,
  PageShell,
  useAsync,
} from '@lumi/mini';
import type { CreditSale, CustomerCredit, PaymentOrder } from '@lumi/shared';
import { ME_PAGE } from '../../routes.ts';
import { getMyCredit } from '../../services/credit.ts';
import { createRepayer, isCancelled, parseRepayment, repaymentPrefill } from '../repay.ts';
import './index.scss';

type Phase = 'idle' | 'paying' | 'confirming';

export default function CreditPage() {
  const { data, error, loading, reload, refresh } = useAsync(getMyCredit);
  const [amountText, setAmountText] = useState<string | null>(null);
  const [phase, setPhase] = useState<Phase>('idle');
  const [payError, setPayError] = useState<string | null>(null);
  const [receipt, setReceipt] = useState<{ order: PaymentOrder; owedBeforeFen: number } | null>(null);
  const [payer] = useState(() => createRepayer());
  const now = new Date();

  const owed = data?.owedFen ?? 0;
  // Until she types, the field shows what is due; typing replaces it.
  const shown = amountText ?? (data ? repaymentPrefill(data) : '');

  async function repay() {
    if (!data || phase !== 'idle') return;
    const check = parseRepayment(shown, owed);
    if (!check.ok) {
      setPayError(check.message);
      return;
    }
    setPhase('paying');
    setPayError(null);
    try {
      const order = await payer.pay({ amountFen: check.amountFen }, { onConfirming: () => setPhase('confirming') });
      setReceipt({ order, owedBeforeFen: owed });
      setAmountText(null);
      void Taro.showToast({ title: '还款成功', icon: 'success', duration: 2000 });
      refresh();
    } catch (cause) {
      if (isCancelled(cause)) {
        void Taro.showToast({ title: '已取消支付', icon: 'none', duration: 2000 });
      } else {
        setPayError(cause instanceof Error ? cause.message : '还款失败，请稍后重试');
      }
    } finally {
      setPhase('idle');
    }
  }

  return (
    <PageShell loading={loading} error={error} onRetry={reload} backTo={ME_PAGE} className="credit m-page">
      {data ? (
        <>
          <View className="m-hero">
            <Text className="m-hero__label">待还金额</Text>
            <Text className="m-hero__value credit__owed">{formatFen(owed)}</Text>
            <Text className="m-hero__note">
              {data.limitFen > 0
                ? `额度 ${formatFen(data.limitFen)} · 可用 ${formatFen(data.availableFen)}`
                : '暂无挂账额度'}
            </Text>
            {data.overdueFen > 0 ? (
              <Text className="m-badge m-badge--warn credit__overdue">已逾期 {formatFen(data.overdueFen)}</Text>
            ) : null}
            {data.status === 'frozen' ? <Text className="m-hero__note">额度已冻结，请联系门店</Text> : null}
          </View>
          {receipt ? <Receipt receipt={receipt} owedNowFen={owed} /> : null}
          {owed > 0 ? (
            <View className="m-card">
              <Text className="m-title">微信还款</Text>
              <Text className="m-meta">
                {data.nextDue
                  ? `最近一期 ${formatDate(data.nextDue.dueDate)} 应还 ${formatFen(data.nextDue.amountFen)}`
                  : ''}
              </Text>
              <View className="credit__amount">
                <Text className="credit__currency">¥</Text>
                <Input
                  className="credit__input"
                  type="digit"
                  value={shown}
                  maxlength={12}
                  onInput={(event) => {
                    setAmountText(event.detail.value);
                    setPayError(null);
                  }}
                />
              </View>
              <InlineError className="credit__error" message={payError} />
              <ActionButton
                className="m-button"
                type="primary"
                disabled={phase !== 'idle'}
                onClick={() => void repay()}
              >
                {phase === 'confirming' ? '确认支付结果中…' : phase === 'paying' ? '正在发起支付…' : '微信支付还款'}
              </ActionButton>
            </View>
          ) : null}
          <Sales credit={data} now={now} />
        </>
      ) : null}
    </PageShell>
  );
}

function Receipt({
  receipt,
  owedNowFen,
}: {
  receipt: { order: PaymentOrder; owedBeforeFen: number };
  owedNowFen: number;
}) {
  return (
    <View className="m-card credit__receipt" role="status">
      <Text className="m-title">还款凭证</Text>
      <View className="m-row">
        <Text>还款金额</Text>
        <Text className="m-strong">{formatFen(receipt.order.amountFen)}</Text>
      </View>
      <View className="m-row">
        <Text>支付时间</Text>
        <Text>{formatDateTime(receipt.order.paidAt)}</Text>
      </View>
      <View className="m-row">
        <Text>还款前待还</Text>
        <Text>{formatFen(receipt.owedBeforeFen)}</Text>
      </View>
      <View className="m-row">
        <Text>现在待还</Text>
        <Text className="m-strong">{formatFen(owedNowFen)}</Text>
      </View>
      <Text className="m-meta">微信支付单号 {receipt.order.outTradeNo}</Text>
    </View>
  );
}

function Sales({ credit, now }: { credit: CustomerCredit; now: Date }) {
  if (credit.openSales.length === 0) {
    return (
      <View className="m-card">
        <Text className="m-empty">没有未结清的挂账</Text>
      </View>
    );
  }
  return (
    <>
      {credit.openSales.map((sale) => (
        <SaleCard key={sale.id} sale={sale} now={now} />
      ))}
    </>
  );
}

function SaleCard({ sale, now }: { sale: CreditSale; now: Date }) {
  const title =
    sale.plan === 'instalments' ? `分期 ${sale.instalmentCount} 期${sale.interestFree ? '（免息）' : ''}` : '挂账';
  return (
    <View className="m-card credit__sale">
      <View className="m-row">
        <Text className="m-title">{title}</Text>
        <Text className="m-meta">{formatDate(sale.at)}</Text>
      </View>
      <View className="m-row">
        <Text>消费金额 {formatFen(sale.principalFen)}</Text>
        <Text className="m-strong">未还 {formatFen(sale.outstandingFen)}</Text>
      </View>
      {sale.items
        .map((item) => instalmentView(item, now))
        .map((view) => (
          <View key={view.id} className={`m-row credit__item credit__item--${view.state}`}>
            <Text>
              {view.label} · {view.dueText}
            </Text>
            <Text>{view.amountText}</Text>
            <Text className={`m-badge ${BADGE[view.state]}`}>{view.stateText}</Text>
          </View>
        ))}
    </View>
  );
}

const BADGE = {
  paid: 'm-badge--ok',
  overdue: 'm-badge--warn',
  due_soon: 'm-badge--soon',
  upcoming: '',
  cancelled: '',
} as const;
