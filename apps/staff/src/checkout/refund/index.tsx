import { Input, Text, View } from '@tarojs/components';
import Taro, { useRouter } from '@tarojs/taro';
import { useState } from 'react';
import {
  ActionButton,
  createAttemptKeys,
  formatFen,
  InlineError,
  navigateBackOr,
  PageShell,
  parseYuanInput,
  useAsync,
} from '@lumi/mini';
import type { Bill, RefundBillRequest } from '@lumi/shared';
import { BILLS_PAGE, BILL_PAGE } from '../../routes.ts';
import { getBill, refundBill } from '../../services/checkout.ts';
import { checkoutErrorMessage } from '../errors.ts';
import { AskManagerButton, needsManagerApproval } from '../manager-approval.tsx';
import '../checkout.scss';

type Mode = 'quantity' | 'amount';
interface LineDraft {
  mode: Mode;
  quantity: number;
  amountText: string;
}

/** Units of each line not yet given back by earlier refunds. */
function unitsLeft(bill: Bill): Record<string, number> {
  const left: Record<string, number> = {};
  for (const line of bill.lines) left[line.id] = line.quantity;
  for (const refund of bill.refunds) {
    for (const r of refund.lines) left[r.lineId] = (left[r.lineId] ?? 0) - r.quantity;
  }
  return left;
}

/** What the line cost her: a session off a package card or a shop voucher carried no money of this bill. */
function paidText(line: Bill['lines'][number]): string {
  if (line.type === 'package_session') return '次卡抵扣';
  if (line.type === 'shop_voucher') return '服务券抵扣';
  return `实付 ${formatFen(line.amountFen)}`;
}

export default function RefundPage() {
  const id = useRouter().params.id ?? '';
  const { data: bill, error, loading, reload } = useAsync(() => getBill(id), [id]);
  const [drafts, setDrafts] = useState<Record<string, LineDraft>>({});
  const [reason, setReason] = useState('');
  const [busy, setBusy] = useState(false);
  const [formError, setFormError] = useState<string | null>(null);
  const [keys] = useState(() => createAttemptKeys('refund'));
  // Above the threshold: the refund she built, kept to send to a manager (请店长审批).
  const [forManager, setForManager] = useState<RefundBillRequest | null>(null);

  const draftOf = (lineId: string): LineDraft => drafts[lineId] ?? { mode: 'quantity', quantity: 0, amountText: '' };
  const update = (lineId: string, patch: Partial<LineDraft>) => {
    setFormError(null);
    setForManager(null);
    setDrafts((current) => ({ ...current, [lineId]: { ...draftOf(lineId), ...patch } }));
  };

  async function handleRefund() {
    if (!bill || busy) return;
    const lines: RefundBillRequest['lines'] = [];
    for (const line of bill.lines) {
      const draft = draftOf(line.id);
      if (draft.mode === 'quantity') {
        if (draft.quantity > 0) lines.push({ lineId: line.id, quantity: draft.quantity });
        continue;
      }
      const amount = parseYuanInput(draft.amountText);
      if (!amount.ok) {
        setFormError(`${line.name}：${amount.message}`);
        return;
      }
      if (amount.fen > line.amountFen) {
        setFormError(`${line.name}：退款金额不能超过 ${formatFen(line.amountFen)}`);
        return;
      }
      if (amount.fen > 0) lines.push({ lineId: line.id, amountFen: amount.fen });
    }
    if (lines.length === 0) {
      setFormError('请选择要退的项目数量或金额');
      return;
    }
    const trimmed = reason.trim();
    if (trimmed.length < 2) {
      setFormError('请填写退款原因（至少 2 个字）');
      return;
    }
    // No tenders: the server returns the money to the tenders that paid, in proportion.
    const body: RefundBillRequest = { lines, reason: trimmed, restock: true };
    setBusy(true);
    setFormError(null);
    try {
      await refundBill(bill.id, body, keys.keyFor(body));
      keys.finish();
      void Taro.showToast({ title: '已退款', icon: 'none', duration: 2000 });
      // The bill page refreshes itself when shown again.
      await navigateBackOr(`${BILL_PAGE}?id=${bill.id}`);
    } catch (cause) {
      setForManager(needsManagerApproval(cause) ? body : null);
      setFormError(needsManagerApproval(cause) ? null : checkoutErrorMessage(cause, '退款失败，请重试'));
    } finally {
      setBusy(false);
    }
  }

  const left = bill ? unitsLeft(bill) : {};

  return (
    <PageShell loading={loading} error={error} onRetry={reload} backTo={BILLS_PAGE} className="ck">
      {bill ? (
        <>
          <View className="ck__card">
            <Text className="ck__title">选择退款项目</Text>
            <Text className="ck__hint">
              按数量退：退回项目或商品（次卡退回次数）；按金额退：不退货，只退部分款项。款项按原支付方式比例退回。
            </Text>
            {bill.lines.map((line) => {
              const draft = draftOf(line.id);
              const max = left[line.id] ?? 0;
              return (
                <View key={line.id} className="ck__row ck__refund-line">
                  <View className="ck__main">
                    <Text>
                      {line.name} ×{line.quantity}
                    </Text>
                    <Text className="ck__muted">
                      {paidText(line)} · 可退 {max} {line.type === 'product' ? '件' : '次'}
                    </Text>
                    {/* Package sessions carry no money of their own: they can only be given back as sessions. */}
                    <View className="ck__chips">
                      {(line.amountFen > 0 ? (['quantity', 'amount'] as const) : (['quantity'] as const)).map(
                        (mode) => (
                          <Text
                            key={mode}
                            className={draft.mode === mode ? 'ck__chip ck__chip--on' : 'ck__chip'}
                            onClick={() => update(line.id, { mode })}
                          >
                            {mode === 'quantity' ? '按数量' : '按金额'}
                          </Text>
                        ),
                      )}
                    </View>
                  </View>
                  {draft.mode === 'quantity' ? (
                    <View className="ck__stepper">
                      <Text
                        className="ck__step"
                        onClick={() => update(line.id, { quantity: Math.max(0, draft.quantity - 1) })}
                      >
                        −
                      </Text>
                      <Text className="ck__count">{draft.quantity}</Text>
                      <Text
                        className="ck__step ck__refund-plus"
                        onClick={() => update(line.id, { quantity: Math.min(max, draft.quantity + 1) })}
                      >
                        ＋
                      </Text>
                    </View>
                  ) : (
                    <Input
                      className="ck__input ck__input--amount"
                      type="digit"
                      placeholder="元"
                      value={draft.amountText}
                      onInput={(event) => update(line.id, { amountText: event.detail.value })}
                    />
                  )}
                </View>
              );
            })}
          </View>
          <View className="ck__card">
            <Input
              className="ck__input ck__input--wide ck__refund-reason"
              placeholder="退款原因"
              maxlength={200}
              value={reason}
              onInput={(event) => {
                setReason(event.detail.value);
                setFormError(null);
              }}
            />
            <ActionButton
              className="ck__submit ck__refund-submit"
              type="primary"
              disabled={busy}
              onClick={() => void handleRefund()}
            >
              {busy ? '退款中…' : '确认退款'}
            </ActionButton>
            {forManager ? (
              <AskManagerButton
                billId={bill.id}
                body={{ kind: 'refund', refund: forManager }}
                onFiled={() => void navigateBackOr(`${BILL_PAGE}?id=${bill.id}`)}
              />
            ) : null}
            <InlineError className="ck__error" message={formError} />
          </View>
        </>
      ) : null}
    </PageShell>
  );
}
