import { Input, Text, View } from '@tarojs/components';
import Taro, { useRouter } from '@tarojs/taro';
import { useState } from 'react';
import { fenToYuanString, formatDateTime, formatFen, PageShell, parseYuanInput, useAsync } from '@lumi/mini';
import type { CreditLimitRequest } from '@lumi/shared';
import {
  approveCreditRequest,
  getCreditRequest,
  listCustomerCreditRequests,
  rejectCreditRequest,
} from '../../services/approvals.ts';
import { decisionErrorMessage, noteProblem } from '../decision.ts';
import { DecisionCard } from '../decision-card.tsx';
import { ManagerOnly } from '../manager-only.tsx';
import '../manager.scss';

const STATUS_LABELS: Record<CreditLimitRequest['status'], string> = {
  pending: '待审批',
  approved: '已批准',
  rejected: '已拒绝',
};

/** A request closed when its customer was merged was decided by nobody: 已关闭 (its note says why), not 已拒绝. */
function statusLabel(r: CreditLimitRequest): string {
  return r.status === 'rejected' && r.decidedBy === null ? '已关闭' : STATUS_LABELS[r.status];
}

async function load(id: string) {
  const request = await getCreditRequest(id);
  const history = await listCustomerCreditRequests(request.customer.id);
  return { request, history: history.filter((r) => r.id !== id) };
}

function CreditRequestDetail() {
  const id = useRouter().params.id ?? '';
  const { data, error, loading, reload } = useAsync(() => load(id), [id]);
  const [decided, setDecided] = useState<CreditLimitRequest | null>(null);
  const request = decided ?? data?.request;

  return (
    <PageShell loading={loading} error={error} onRetry={reload} className="mg">
      {request && data ? (
        <>
          <View className="mg__card">
            <Text className="mg__title">{request.customer.name ?? '未留名顾客'} 的额度申请</Text>
            <View className="mg__row">
              <Text>申请额度</Text>
              <Text className="mg__amount mg__requested">{formatFen(request.requestedLimitFen)}</Text>
            </View>
            <View className="mg__row">
              <Text>现有额度</Text>
              <Text className="mg__amount mg__line-limit">{formatFen(request.lineLimitFen)}</Text>
            </View>
            {request.currentLimitFen !== request.lineLimitFen ? (
              // A request that moved with a merged customer, or a limit changed since: both figures, told apart.
              <Text className="mg__muted">提交时额度 {formatFen(request.currentLimitFen)}</Text>
            ) : null}
            <View className="mg__row">
              <Text>建议额度</Text>
              <Text className="mg__amount mg__suggested">{formatFen(request.suggestion.suggestedLimitFen)}</Text>
            </View>
            <Text className="mg__muted">
              {request.requestedBy.name ?? ''} 于 {formatDateTime(request.createdAt)} 提交：{request.reason}
            </Text>
          </View>
          <View className="mg__card">
            <Text className="mg__title">建议依据</Text>
            {request.suggestion.reasons.map((reason) => (
              <Text key={reason} className="mg__reason">
                · {reason}
              </Text>
            ))}
          </View>
          <View className="mg__card mg__history">
            <Text className="mg__title">以往申请</Text>
            {data.history.length === 0 ? <Text className="mg__muted">无</Text> : null}
            {data.history.map((r) => (
              <View key={r.id} className="mg__row">
                <View className="mg__main">
                  <Text>
                    {formatDateTime(r.createdAt)} · {statusLabel(r)}
                  </Text>
                  {r.decisionNote ? <Text className="mg__muted">{r.decisionNote}</Text> : null}
                </View>
                <Text className="mg__amount">{formatFen(r.approvedLimitFen ?? r.requestedLimitFen)}</Text>
              </View>
            ))}
          </View>
          {request.status === 'pending' ? (
            <Decision request={request} onDecided={setDecided} />
          ) : (
            <View className="mg__card mg__decided">
              <Text className="mg__title">{statusLabel(request)}</Text>
              {request.approvedLimitFen !== null ? <Text>批准额度 {formatFen(request.approvedLimitFen)}</Text> : null}
              {request.limitAfterFen !== null && request.limitAfterFen > (request.approvedLimitFen ?? 0) ? (
                <Text className="mg__kept">保留现有额度 {formatFen(request.limitAfterFen)}</Text>
              ) : null}
              <Text className="mg__muted">
                {request.decidedBy?.name ?? ''} {request.decidedAt ? formatDateTime(request.decidedAt) : ''}
                {request.decisionNote ? ` · ${request.decisionNote}` : ''}
              </Text>
            </View>
          )}
        </>
      ) : null}
    </PageShell>
  );
}

function Decision({
  request,
  onDecided,
}: {
  request: CreditLimitRequest;
  onDecided: (request: CreditLimitRequest) => void;
}) {
  const [amount, setAmount] = useState(fenToYuanString(request.requestedLimitFen));
  const [note, setNote] = useState('');
  const [busy, setBusy] = useState(false);
  const [problem, setProblem] = useState<string | null>(null);
  const [lowerExisting, setLowerExisting] = useState(false);
  const typed = parseYuanInput(amount);
  const belowExisting = typed.ok && typed.fen < request.lineLimitFen;

  async function decide(action: 'approve' | 'reject') {
    if (busy) return;
    let limit = request.requestedLimitFen;
    if (action === 'approve') {
      const parsed = parseYuanInput(amount);
      if (!parsed.ok) return setProblem(parsed.message);
      if (parsed.fen > request.requestedLimitFen) return setProblem('批准额度不能高于申请额度');
      limit = parsed.fen;
    }
    const lowersExisting = action === 'approve' && lowerExisting && limit < request.lineLimitFen;
    const lowering = lowersExisting || (action === 'approve' && limit < request.requestedLimitFen);
    const missing = action === 'reject' || lowering ? noteProblem(note, lowering ? '降额原因' : '拒绝原因') : null;
    if (missing) return setProblem(missing);
    setBusy(true);
    setProblem(null);
    try {
      const decided =
        action === 'approve'
          ? await approveCreditRequest(request.id, limit, note.trim(), lowersExisting)
          : await rejectCreditRequest(request.id, note.trim());
      void Taro.showToast({ title: action === 'approve' ? '已批准' : '已拒绝', icon: 'none', duration: 2000 });
      onDecided(decided);
    } catch (cause) {
      setProblem(decisionErrorMessage(cause, '操作失败，请重试'));
    } finally {
      setBusy(false);
    }
  }

  return (
    <DecisionCard
      placeholder="备注（降额或拒绝时必填）"
      maxlength={200}
      note={note}
      onNote={(next) => {
        setNote(next);
        setProblem(null);
      }}
      actions={[
        { className: 'mg__approve', label: '批准', type: 'primary', onClick: () => void decide('approve') },
        { className: 'mg__reject', label: '拒绝', type: 'warn', onClick: () => void decide('reject') },
      ]}
      busy={busy}
      problem={problem}
    >
      <Text className="mg__title">审批</Text>
      <Text className="mg__muted">批准额度（元），可低于申请额度</Text>
      <Input
        className="mg__input mg__limit"
        type="digit"
        value={amount}
        onInput={(event) => {
          setAmount(event.detail.value);
          setProblem(null);
        }}
      />
      {belowExisting ? (
        <View className="mg__keep">
          <Text className="mg__muted">
            该顾客现有额度 {formatFen(request.lineLimitFen)}，高于批准额度：批准后保留现有额度
          </Text>
          <View
            className={`mg__chip mg__lower-existing${lowerExisting ? ' mg__chip--on' : ''}`}
            onClick={() => {
              setLowerExisting(!lowerExisting);
              setProblem(null);
            }}
          >
            <Text>{lowerExisting ? '✓ ' : ''}改为降至批准额度（需填写原因）</Text>
          </View>
        </View>
      ) : null}
    </DecisionCard>
  );
}

export default function CreditRequestPage() {
  return (
    <ManagerOnly>
      <CreditRequestDetail />
    </ManagerOnly>
  );
}
