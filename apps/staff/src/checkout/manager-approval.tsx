import { Text, View } from '@tarojs/components';
import Taro from '@tarojs/taro';
import { useEffect, useRef, useState } from 'react';
import {
  ActionButton,
  ApiError,
  formatDateTime,
  formatFen,
  InlineError,
  useAsync,
  useRefreshOnReturn,
} from '@lumi/mini';
import type { ApprovalRequest, FileApprovalRequest } from '@lumi/shared';
import { APPROVAL_STATUS_LABELS } from '../approval-status.ts';
import { fileApprovalRequest, listBillApprovals } from '../services/approvals.ts';
import { checkoutErrorMessage } from './errors.ts';

/** The API refused because the amount needs a manager: the beautician can ask one (请店长审批). */
export function needsManagerApproval(error: unknown): boolean {
  return error instanceof ApiError && error.code === 'MANAGER_APPROVAL_REQUIRED';
}

/** How often a waiting request is looked at again, so her screen finishes when the manager approves. */
const POLL_MS = 5_000;

/**
 * 请店长审批 on the bill: the newest request for this bill and its state. While it waits it is re-read every few
 * seconds; when a manager approves it (the approval performs the void or refund) `onApproved` lets the page
 * read the bill again quietly (a loading state would unmount this card and lose what it saw).
 */
export function ApprovalStatus({
  billId,
  filed,
  onApproved,
}: {
  billId: string;
  filed: number;
  onApproved: () => void;
}) {
  const { data, refresh } = useAsync(() => listBillApprovals(billId), [billId, filed]);
  useRefreshOnReturn(refresh);
  const latest: ApprovalRequest | undefined = data?.[0];
  const pending = latest?.status === 'pending';
  // What this screen last saw the request as: only a change from waiting to approved means the bill changed.
  const seen = useRef<ApprovalRequest['status'] | null>(null);

  useEffect(() => {
    if (!pending) return;
    const timer = setInterval(refresh, POLL_MS);
    return () => clearInterval(timer);
  }, [pending, refresh]);

  useEffect(() => {
    if (seen.current === 'pending' && latest?.status === 'approved') onApproved();
    seen.current = latest?.status ?? null;
  }, [latest, onApproved]);

  if (!latest) return null;
  return (
    <View className={`ck__card ck__approval ck__approval--${latest.status}`}>
      <Text className="ck__title ck__approval-status">{APPROVAL_STATUS_LABELS[latest.status]}</Text>
      <Text className="ck__muted">
        {latest.kind === 'void' ? '整单撤销' : '部分退款'} {formatFen(latest.amountFen)} · {latest.reason}
      </Text>
      <Text className="ck__muted">提交于 {formatDateTime(latest.createdAt)}</Text>
      {latest.decidedBy ? (
        <Text className="ck__muted ck__approval-note">
          {latest.decidedBy.name ?? '店长'}
          {latest.decisionNote ? `：${latest.decisionNote}` : ''}
        </Text>
      ) : null}
    </View>
  );
}

/** The button that files the request, shown once the API said a manager is needed. */
export function AskManagerButton({
  billId,
  body,
  onFiled,
}: {
  billId: string;
  body: FileApprovalRequest;
  onFiled: () => void;
}) {
  const [busy, setBusy] = useState(false);
  const [problem, setProblem] = useState<string | null>(null);

  async function ask() {
    if (busy) return;
    setBusy(true);
    setProblem(null);
    try {
      await fileApprovalRequest(billId, body);
      void Taro.showToast({ title: '已提交店长审批', icon: 'none', duration: 2000 });
      onFiled();
    } catch (cause) {
      setProblem(
        cause instanceof ApiError && cause.code === 'APPROVAL_PENDING'
          ? '该账单已有待审批的申请'
          : checkoutErrorMessage(cause, '提交失败，请重试'),
      );
    } finally {
      setBusy(false);
    }
  }

  return (
    <>
      <Text className="ck__hint">金额超过店长审批额度，需要店长批准后由系统执行。</Text>
      <ActionButton className="ck__submit ck__ask-manager" type="primary" disabled={busy} onClick={() => void ask()}>
        {busy ? '提交中…' : '请店长审批'}
      </ActionButton>
      <InlineError className="ck__error" message={problem} />
    </>
  );
}
