import { Text, View } from '@tarojs/components';
import Taro, { useRouter } from '@tarojs/taro';
import { useState } from 'react';
import { ApiError, disputeStatusLabel, formatDateTime, formatLedgerAmount, PageShell, useAsync } from '@lumi/mini';
import { BUCKET_LABELS } from '@lumi/shared';
import { listDisputes, resolveDispute } from '../../services/approvals.ts';
import { getBill } from '../../services/checkout.ts';
import { getCustomerEntries } from '../../services/customers.ts';
import { BillSummary } from '../bill-summary.tsx';
import { decisionErrorMessage, noteProblem } from '../decision.ts';
import { DecisionCard } from '../decision-card.tsx';
import { ManagerOnly } from '../manager-only.tsx';
import '../manager.scss';

/** The dispute, its bill, and the ledger entries the bill posted to the customer's accounts. */
async function load(id: string) {
  const dispute = (await listDisputes()).find((d) => d.id === id);
  // A not-found the page shows in its own words, with 返回 and no 重试 (a plain Error reads as a server failure).
  if (!dispute) throw new ApiError('NOT_FOUND', '该异议不存在或不在您管理的门店', 404);
  const bill = await getBill(dispute.billId);
  const entries = (await getCustomerEntries(dispute.customerId)).items.filter(
    (e) => bill.transferId !== null && e.transferId === bill.transferId,
  );
  return { dispute, bill, entries };
}

function DisputeDetail() {
  const id = useRouter().params.id ?? '';
  const { data, error, loading, reload } = useAsync(() => load(id), [id]);
  const [answer, setAnswer] = useState('');
  const [busy, setBusy] = useState(false);
  const [problem, setProblem] = useState<string | null>(null);

  async function resolve(resolution: 'answer' | 'reverse') {
    if (busy) return;
    const missing = noteProblem(answer, resolution === 'answer' ? '给顾客的答复' : '撤销原因');
    if (missing) return setProblem(missing);
    setBusy(true);
    setProblem(null);
    try {
      await resolveDispute(id, resolution, answer.trim());
      void Taro.showToast({ title: resolution === 'answer' ? '已答复' : '已撤销账单', icon: 'none', duration: 2000 });
      reload();
    } catch (cause) {
      setProblem(decisionErrorMessage(cause, '操作失败，请重试'));
    } finally {
      setBusy(false);
    }
  }

  return (
    <PageShell loading={loading} error={error} onRetry={reload} className="mg">
      {data ? (
        <>
          <View className="mg__card">
            <Text className="mg__title">
              {data.dispute.customerName ?? '顾客'} 的疑问 · {disputeStatusLabel(data.dispute.status)}
            </Text>
            <Text className="mg__dispute-reason">{data.dispute.reason}</Text>
            <Text className="mg__muted">
              {formatDateTime(data.dispute.createdAt)} · 服务人员 {data.dispute.staffName}
            </Text>
            {data.dispute.answer ? <Text className="mg__answer">答复：{data.dispute.answer}</Text> : null}
          </View>
          <BillSummary bill={data.bill} />
          <View className="mg__card mg__entries">
            <Text className="mg__title">账户流水</Text>
            {data.entries.length === 0 ? <Text className="mg__muted">本单未动用储值、积分或次卡</Text> : null}
            {data.entries.map((entry) => (
              <View key={entry.id} className="mg__row">
                <Text>{BUCKET_LABELS[entry.bucket]}</Text>
                <Text className="mg__amount">{formatLedgerAmount(entry.amount, entry.unit, { signed: true })}</Text>
              </View>
            ))}
          </View>
          {data.dispute.status === 'open' ? (
            <DecisionCard
              placeholder="给顾客的书面答复（顾客可见）"
              maxlength={500}
              note={answer}
              onNote={(next) => {
                setAnswer(next);
                setProblem(null);
              }}
              actions={[
                {
                  className: 'mg__answer-send',
                  label: '书面答复',
                  type: 'primary',
                  onClick: () => void resolve('answer'),
                },
                { className: 'mg__reverse', label: '撤销账单', type: 'warn', onClick: () => void resolve('reverse') },
              ]}
              busy={busy}
              problem={problem}
            />
          ) : null}
        </>
      ) : null}
    </PageShell>
  );
}

export default function DisputePage() {
  return (
    <ManagerOnly>
      <DisputeDetail />
    </ManagerOnly>
  );
}
