import { Text, View } from '@tarojs/components';
import Taro, { useRouter } from '@tarojs/taro';
import { useState } from 'react';
import { createAttemptKeys, formatDateTime, formatFen, PageShell, useAsync } from '@lumi/mini';
import type { ApprovalRequest } from '@lumi/shared';
import { APPROVAL_KIND_LABELS, approvalStatusLabel } from '../../approval-status.ts';
import { approveApprovalRequest, getApprovalRequest, rejectApprovalRequest } from '../../services/approvals.ts';
import { getBill } from '../../services/checkout.ts';
import { BillSummary } from '../bill-summary.tsx';
import { decisionErrorMessage, noteProblem } from '../decision.ts';
import { DecisionCard } from '../decision-card.tsx';
import { ManagerOnly } from '../manager-only.tsx';
import '../manager.scss';
import { DiscountSubject, TransferSubject } from './subject.tsx';

async function load(id: string) {
  const request = await getApprovalRequest(id);
  // A void or refund is decided on its bill; a discount or a transfer carries what the manager needs.
  return { request, bill: request.bill && !request.discount ? await getBill(request.bill.id) : null };
}

/** What approving does, as the button says it. */
const APPROVE_LABELS: Record<ApprovalRequest['kind'], string> = {
  void: '批准并执行',
  refund: '批准并执行',
  discount: '批准折扣',
  package_transfer: '批准并转卡',
};

function ApprovalDetail() {
  const id = useRouter().params.id ?? '';
  const { data, error, loading, reload } = useAsync(() => load(id), [id]);
  const [note, setNote] = useState('');
  const [busy, setBusy] = useState(false);
  const [problem, setProblem] = useState<string | null>(null);
  const [keys] = useState(() => createAttemptKeys('approval'));

  async function decide(action: 'approve' | 'reject') {
    if (busy || !data) return;
    const missing = action === 'reject' ? noteProblem(note, '拒绝原因') : null;
    if (missing) return setProblem(missing);
    setBusy(true);
    setProblem(null);
    try {
      if (action === 'approve') {
        await approveApprovalRequest(id, note.trim(), keys.keyFor({ id }));
        keys.finish();
      } else {
        await rejectApprovalRequest(id, note.trim());
      }
      const done = data.request.kind === 'discount' ? '已批准' : '已批准并执行';
      void Taro.showToast({ title: action === 'approve' ? done : '已拒绝', icon: 'none', duration: 2000 });
      reload();
    } catch (cause) {
      setProblem(decisionErrorMessage(cause, '操作失败，请重试'));
    } finally {
      setBusy(false);
    }
  }

  const request = data?.request;
  return (
    <PageShell loading={loading} error={error} onRetry={reload} className="mg">
      {request && data ? (
        <>
          <View className="mg__card">
            <Text className="mg__title">
              {APPROVAL_KIND_LABELS[request.kind]} · {approvalStatusLabel(request)}
            </Text>
            <Text className="mg__muted">
              {request.customer.name ?? '未留名顾客'} · {request.storeName}
            </Text>
            {request.kind === 'void' || request.kind === 'refund' ? (
              <>
                <View className="mg__row">
                  <Text>退回金额</Text>
                  <Text className="mg__amount mg__approval-amount">{formatFen(request.amountFen)}</Text>
                </View>
                <Text className="mg__muted">超过 {formatFen(request.thresholdFen)} 需店长审批</Text>
              </>
            ) : null}
            <Text className="mg__muted">
              {request.requestedBy.name ?? ''} 于 {formatDateTime(request.createdAt)} 提交：{request.reason}
            </Text>
            {request.decidedBy ? (
              <Text className="mg__muted mg__decided">
                {request.decidedBy.name ?? ''} {request.decidedAt ? formatDateTime(request.decidedAt) : ''}
                {request.decisionNote ? ` · ${request.decisionNote}` : ''}
              </Text>
            ) : null}
          </View>
          {data.bill ? <BillSummary bill={data.bill} /> : null}
          {request.discount ? <DiscountSubject discount={request.discount} storeName={request.storeName} /> : null}
          {request.packageTransfer ? <TransferSubject transfer={request.packageTransfer} /> : null}
          {request.status === 'pending' ? (
            <DecisionCard
              placeholder="备注（拒绝时必填，美容师可见）"
              maxlength={200}
              note={note}
              onNote={(next) => {
                setNote(next);
                setProblem(null);
              }}
              actions={[
                {
                  className: 'mg__approve',
                  label: APPROVE_LABELS[request.kind],
                  type: 'primary',
                  onClick: () => void decide('approve'),
                },
                { className: 'mg__reject', label: '拒绝', type: 'warn', onClick: () => void decide('reject') },
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

export default function ApprovalPage() {
  return (
    <ManagerOnly>
      <ApprovalDetail />
    </ManagerOnly>
  );
}
