import { Text, View } from '@tarojs/components';
import Taro, { useRouter } from '@tarojs/taro';
import { useState } from 'react';
import {
  ActionButton,
  createAttemptKeys,
  formatDateTime,
  formatFen,
  PageShell,
  tenderText,
  useAsync,
  useRefreshOnReturn,
} from '@lumi/mini';
import type { Bill } from '@lumi/shared';
import { BILLS_PAGE, RECEIPT_PAGE, REFUND_PAGE, SETTLE_PAGE } from '../../routes.ts';
import { getBill, voidBill } from '../../services/checkout.ts';
import { BillLines } from '../bill-lines.tsx';
import { CancelBill } from './cancel-bill.tsx';
import { checkoutErrorMessage } from '../errors.ts';
import { AuditTrailLink } from '../../audit-trail-link.tsx';
import { ApprovalStatus, AskManagerButton, needsManagerApproval } from '../manager-approval.tsx';
import { ReasonConfirm } from '../reason-confirm.tsx';
import '../checkout.scss';

export default function BillPage() {
  const id = useRouter().params.id ?? '';
  const { data: fetched, error, loading, reload, refresh } = useAsync(() => getBill(id), [id]);
  // Back from 退款 the refunds and what is left to refund must be the new ones.
  useRefreshOnReturn(refresh);
  // A void or a cancel answers with the bill as it is now; show it without another read.
  const [answered, setAnswered] = useState<Bill | null>(null);
  const bill = answered ?? fetched;
  // Bumped when she files 请店长审批, so the request's state is read again.
  const [filed, setFiled] = useState(0);

  return (
    <PageShell loading={loading} error={error} onRetry={reload} backTo={BILLS_PAGE} className="ck">
      {bill ? (
        <>
          <BillLines bill={bill} />
          <WaitingHint bill={bill} />
          {bill.tenders.length > 0 ? (
            <View className="ck__card">
              <Text className="ck__title">支付</Text>
              {bill.tenders.map((tender, i) => (
                // Tenders have no id; a bill's tenders never change once set, so the position is a stable key.
                <View key={i} className="ck__row ck__paid">
                  <Text>{tenderText(tender)}</Text>
                </View>
              ))}
              {bill.settledAt ? <Text className="ck__hint">结账时间 {formatDateTime(bill.settledAt)}</Text> : null}
            </View>
          ) : null}
          {bill.refunds.length > 0 ? (
            <View className="ck__card">
              <Text className="ck__title">退款记录（共 {formatFen(bill.refundedFen)}）</Text>
              {bill.refunds.map((refund) => (
                <View key={refund.id} className="ck__row ck__refund">
                  <View className="ck__main">
                    <Text>{refund.kind === 'void' ? '撤销' : '部分退款'}</Text>
                    <Text className="ck__muted">
                      {formatDateTime(refund.createdAt)} · {refund.reason}
                    </Text>
                    <Text className="ck__muted">{refund.tenders.map(tenderText).join('，')}</Text>
                  </View>
                  <Text className="ck__amount">{formatFen(refund.amountFen)}</Text>
                </View>
              ))}
            </View>
          ) : null}
          {bill.status === 'open' ? (
            <ActionButton
              className="ck__submit"
              type="primary"
              onClick={() => void Taro.redirectTo({ url: `${SETTLE_PAGE}?id=${bill.id}` })}
            >
              去结账
            </ActionButton>
          ) : null}
          {bill.status === 'settled' || bill.status === 'voided' ? (
            <ActionButton
              className="ck__submit ck__receipt"
              onClick={() => void Taro.navigateTo({ url: `${RECEIPT_PAGE}?id=${bill.id}` })}
            >
              小票
            </ActionButton>
          ) : null}
          <AuditTrailLink subjectId={bill.id} title={`账单 ${bill.number}`} className="ck__link" />
          <ApprovalStatus billId={bill.id} filed={filed} onApproved={refresh} />
          {bill.status === 'settled' ? (
            <SettledActions bill={bill} onVoided={setAnswered} onAskedManager={() => setFiled((n) => n + 1)} />
          ) : null}
          {bill.status === 'open' || bill.status === 'awaiting_customer' ? (
            <CancelBill billId={bill.id} onCancelled={setAnswered} />
          ) : null}
        </>
      ) : null}
    </PageShell>
  );
}

function WaitingHint({ bill }: { bill: Bill }) {
  if (bill.status !== 'awaiting_customer') return null;
  const wechat = bill.tenders.some((t) => t.method === 'wechat');
  return (
    <View className="ck__card ck__waiting">
      <Text>{wechat ? '请顾客打开会员小程序，在账单中完成微信支付。' : '请顾客打开会员小程序，确认本次扣款。'}</Text>
      {bill.holdExpiresAt ? (
        <Text className="ck__hint">{formatDateTime(bill.holdExpiresAt)} 前未完成，账单将退回待结账。</Text>
      ) : null}
    </View>
  );
}

function SettledActions({
  bill,
  onVoided,
  onAskedManager,
}: {
  bill: Bill;
  onVoided: (bill: Bill) => void;
  onAskedManager: () => void;
}) {
  const [voiding, setVoiding] = useState(false);
  // The reason of a void refused for its size, sent on with 请店长审批; null while there is nothing to ask.
  const [askWith, setAskWith] = useState<string | null>(null);
  const [keys] = useState(() => createAttemptKeys('void'));

  async function voidWith(reason: string): Promise<string | null> {
    try {
      const voided = await voidBill(bill.id, reason, keys.keyFor({ reason }));
      keys.finish();
      void Taro.showToast({ title: '已撤销', icon: 'none', duration: 2000 });
      onVoided(voided);
      return null;
    } catch (cause) {
      const ask = needsManagerApproval(cause);
      setAskWith(ask ? reason : null);
      return ask ? null : checkoutErrorMessage(cause, '撤销失败，请重试');
    }
  }

  return (
    <View className="ck__card">
      <ActionButton
        className="ck__submit ck__to-refund"
        onClick={() => void Taro.navigateTo({ url: `${REFUND_PAGE}?id=${bill.id}` })}
      >
        部分退款
      </ActionButton>
      {voiding ? (
        <ReasonConfirm
          act="撤销"
          hint="撤销后款项原路退回：储值、积分、次卡回到顾客账户；现金、刷卡部分请按原方式退还顾客。"
          confirmLabel="确认撤销整单"
          busyLabel="撤销中…"
          classPrefix="ck__void"
          onConfirm={voidWith}
        />
      ) : (
        <ActionButton className="ck__submit ck__void" type="warn" onClick={() => setVoiding(true)}>
          撤销账单
        </ActionButton>
      )}
      {askWith !== null ? (
        <AskManagerButton
          billId={bill.id}
          body={{ kind: 'void', reason: askWith }}
          onFiled={() => {
            setAskWith(null);
            setVoiding(false);
            onAskedManager();
          }}
        />
      ) : null}
    </View>
  );
}
