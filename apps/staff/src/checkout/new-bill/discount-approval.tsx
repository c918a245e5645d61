import { Text, View } from '@tarojs/components';
import Taro from '@tarojs/taro';
import { useEffect, useRef, useState } from 'react';
import { ActionButton, ApiError, formatDateTime, formatFen, InlineError } from '@lumi/mini';
import type { ApprovalRequest, Bill, BillDraft } from '@lumi/shared';
import { approvalStatusLabel, percentText } from '../../approval-status.ts';
import { getApprovalRequest, fileDiscountApproval } from '../../services/approvals.ts';
import { openBill } from '../../services/checkout.ts';
import { checkoutErrorMessage } from '../errors.ts';

/** The numbers the API gives with DISCOUNT_APPROVAL_REQUIRED. */
export interface DiscountRefusal {
  limitBasisPoints: number;
  limitFen: number;
  manualDiscountFen: number;
  subtotalFen: number;
}

/** The API refused the discount as above the beautician's limit: the numbers, or null for any other failure. */
export function discountRefusal(error: unknown): DiscountRefusal | null {
  if (!(error instanceof ApiError) || error.code !== 'DISCOUNT_APPROVAL_REQUIRED') return null;
  return error.details as DiscountRefusal;
}

/** How often a waiting request is looked at again, so the bill opens when the manager approves. */
const POLL_MS = 5_000;

/**
 * 请店长审批 for a large discount on the new bill: sends the draft exactly as refused, follows the request, and opens
 * the bill with the approval as soon as the manager approves it (once; a retry answers the same bill).
 */
export function DiscountApproval({
  draft,
  refusal,
  onOpened,
}: {
  draft: BillDraft;
  refusal: DiscountRefusal;
  onOpened: (bill: Bill) => void;
}) {
  const [request, setRequest] = useState<ApprovalRequest | null>(null);
  const [busy, setBusy] = useState(false);
  const [problem, setProblem] = useState<string | null>(null);
  const opening = useRef(false);
  const share = Math.round((refusal.manualDiscountFen * 10_000) / Math.max(1, refusal.subtotalFen));

  async function ask() {
    if (busy) return;
    setBusy(true);
    setProblem(null);
    try {
      setRequest(await fileDiscountApproval({ draft }));
      void Taro.showToast({ title: '已提交店长审批', icon: 'none', duration: 2000 });
    } catch (cause) {
      setProblem(checkoutErrorMessage(cause, '提交失败，请重试'));
    } finally {
      setBusy(false);
    }
  }

  async function open(approved: ApprovalRequest) {
    if (opening.current) return;
    opening.current = true;
    setProblem(null);
    try {
      onOpened(await openBill({ ...draft, approvalRequestId: approved.id }));
    } catch (cause) {
      opening.current = false;
      setProblem(checkoutErrorMessage(cause, '开单失败，请重试'));
    }
  }

  const id = request?.id;
  const pending = request?.status === 'pending';
  useEffect(() => {
    if (!id || !pending) return;
    const timer = setInterval(() => {
      getApprovalRequest(id).then(setRequest, () => {});
    }, POLL_MS);
    return () => clearInterval(timer);
  }, [id, pending]);

  // open guards itself with a ref: an approval seen twice opens one bill.
  useEffect(() => {
    if (request?.status === 'approved') void open(request);
  }, [request]);

  return (
    <View className={`ck__card ck__approval ck__discount-approval ck__approval--${request?.status ?? 'new'}`}>
      <Text className="ck__title">{request ? approvalStatusLabel(request) : '折扣需店长审批'}</Text>
      <Text className="ck__muted ck__discount-asked">
        优惠 {formatFen(refusal.manualDiscountFen)}（原价 {formatFen(refusal.subtotalFen)} 的 {percentText(share)}）
      </Text>
      <Text className="ck__muted">
        超过店长审批额度 {percentText(refusal.limitBasisPoints)}（{formatFen(refusal.limitFen)}）
      </Text>
      {request ? (
        <>
          <Text className="ck__muted">
            提交于 {formatDateTime(request.createdAt)} · {request.reason}
          </Text>
          {request.decidedBy ? (
            <Text className="ck__muted ck__approval-note">
              {request.decidedBy.name ?? '店长'}
              {request.decisionNote ? `：${request.decisionNote}` : ''}
            </Text>
          ) : null}
          {request.status === 'pending' ? <Text className="ck__hint">店长批准后将自动按此折扣开单。</Text> : null}
          {request.status === 'approved' && problem ? (
            <ActionButton className="ck__submit ck__open-approved" type="primary" onClick={() => void open(request)}>
              按批准的折扣开单
            </ActionButton>
          ) : null}
        </>
      ) : (
        <>
          <Text className="ck__hint">提交后店长在手机上审批，批准后按此账单和折扣开单。</Text>
          <ActionButton
            className="ck__submit ck__ask-manager"
            type="primary"
            disabled={busy}
            onClick={() => void ask()}
          >
            {busy ? '提交中…' : '请店长审批'}
          </ActionButton>
        </>
      )}
      <InlineError className="ck__error" message={problem} />
    </View>
  );
}
