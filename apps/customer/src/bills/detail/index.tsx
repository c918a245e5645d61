import { Input, Text, View } from '@tarojs/components';
import Taro, { useRouter } from '@tarojs/taro';
import { useState } from 'react';
import {
  ActionButton,
  ApiError,
  billActions,
  billLineView,
  billStatus,
  createWechatPayer,
  disputeStatusLabel,
  disputeWindow,
  formatDateTime,
  formatFen,
  InlineError,
  PageShell,
  pointsWithWorth,
  refundView,
  tenderAmountText,
  tenderLabel,
  useAsync,
} from '@lumi/mini';
import type { Bill, Dispute, TemplatePurpose } from '@lumi/shared';
import {
  confirmBill,
  createBillPaymentOrder,
  declineBill,
  disputeBill,
  getMyBill,
  getMyDisputes,
} from '../../services/bills.ts';
import { BILLS_PAGE } from '../../routes.ts';
import { getPaymentOrder } from '../../services/payments.ts';
import { getMyPoints } from '../../services/points.ts';
import { askForNotices, getSubscribeTemplates, type SubscribeTemplate } from '../../services/subscriptions.ts';
import './index.scss';

/** After confirming, what may still happen to the bill, and the next bill that will wait for them. */
const CONFIRM_NOTICES: TemplatePurpose[] = ['bill_refunded', 'bill_voided', 'bill_to_confirm'];
/** After asking, the manager answers — or reverses the bill, or refunds part of it. */
const DISPUTE_NOTICES: TemplatePurpose[] = ['dispute_answered', 'bill_voided', 'bill_refunded'];

const REASON_MIN = 2;
const REASON_MAX = 500;

interface Detail {
  bill: Bill;
  disputes: Dispute[];
  /** Loaded with the bill so that a tap can ask for consent at once (WeChat refuses after an await). */
  templates: SubscribeTemplate[];
  /** What one point is worth in fen, for the ¥ value of points paid; null when it could not be read. */
  pointValueFen: number | null;
}

async function loadDetail(billId: string): Promise<Detail> {
  const [bill, disputes, templates, pointValueFen] = await Promise.all([
    getMyBill(billId),
    getMyDisputes(),
    // Without templates the page only skips asking for consent.
    getSubscribeTemplates().catch(() => []),
    // Without the rate the points are shown without their ¥ value.
    getMyPoints().then(
      (points) => points.pointValueFen,
      () => null,
    ),
  ]);
  return { bill, disputes: disputes.filter((d) => d.billId === billId), templates, pointValueFen };
}

type Busy = null | 'confirm' | 'decline' | 'pay' | 'confirming-payment' | 'dispute';
type Form = null | 'decline' | 'dispute';

export default function BillDetailPage() {
  const billId = useRouter().params.id ?? '';
  const { data, error, loading, reload, refresh } = useAsync(() => loadDetail(billId), [billId]);
  const [busy, setBusy] = useState<Busy>(null);
  const [form, setForm] = useState<Form>(null);
  const [actionError, setActionError] = useState<string | null>(null);
  // One payer per visit: paying again after a cancelled sheet reuses the attempt's Idempotency-Key.
  const [payer] = useState(() =>
    createWechatPayer({ keyPrefix: 'bill', createOrder: createBillPaymentOrder, getOrder: getPaymentOrder }),
  );

  async function act(kind: Exclude<Busy, null>, run: () => Promise<unknown>, done: string) {
    if (busy) return;
    setBusy(kind);
    setActionError(null);
    try {
      await run();
      setForm(null);
      void Taro.showToast({ title: done, icon: 'success', duration: 2000 });
    } catch (cause) {
      // Closing WeChat's payment sheet is a choice, not an error.
      if (cause instanceof ApiError && cause.code === 'PAYMENT_CANCELLED') {
        void Taro.showToast({ title: cause.message, icon: 'none', duration: 2000 });
      } else {
        setActionError(actionErrorMessage(cause));
      }
    } finally {
      setBusy(null);
      // Whatever happened, show the bill as it is now (a CONFLICT means it changed under the customer).
      refresh();
    }
  }

  const handleConfirm = (detail: Detail) =>
    act(
      'confirm',
      async () => {
        await askForNotices(detail.templates, CONFIRM_NOTICES);
        await confirmBill(detail.bill.id);
      },
      '已确认',
    );

  const handlePay = (bill: Bill) =>
    act('pay', () => payer.pay(bill.id, { onConfirming: () => setBusy('confirming-payment') }), '支付成功');

  const handleDecline = (bill: Bill, reason: string) => act('decline', () => declineBill(bill.id, reason), '已拒绝');

  const handleDispute = (detail: Detail, reason: string) =>
    act(
      'dispute',
      async () => {
        await askForNotices(detail.templates, DISPUTE_NOTICES);
        await disputeBill(detail.bill.id, reason);
      },
      '已提交',
    );

  return (
    <PageShell loading={loading} error={error} onRetry={reload} backTo={BILLS_PAGE} className="bill">
      {data ? (
        <>
          <BillHeader bill={data.bill} />
          <BillLines bill={data.bill} />
          <BillTenders bill={data.bill} pointValueFen={data.pointValueFen} />
          <BillRefunds bill={data.bill} />
          <BillDisputes bill={data.bill} disputes={data.disputes} />
          <BillActionsPanel
            detail={data}
            busy={busy}
            form={form}
            onForm={(next) => {
              setForm(next);
              setActionError(null);
            }}
            onConfirm={() => void handleConfirm(data)}
            onPay={() => void handlePay(data.bill)}
            onDecline={(reason) => void handleDecline(data.bill, reason)}
            onDispute={(reason) => void handleDispute(data, reason)}
          />
          <InlineError className="bill__error" message={actionError} />
        </>
      ) : null}
    </PageShell>
  );
}

/** What the page says when an action failed; the API's own messages are for developers. */
function actionErrorMessage(error: unknown): string {
  if (!(error instanceof ApiError)) return '操作失败，请稍后重试';
  switch (error.code) {
    case 'CONFLICT':
      return '账单状态已变化，请查看最新状态';
    case 'BUSINESS_RULE_VIOLATED':
      return '已超过可反馈的时间，请联系门店';
    case 'VALIDATION_FAILED':
      return '请填写原因（2–500 字）';
    default:
      return error.message;
  }
}

function BillHeader({ bill }: { bill: Bill }) {
  const status = billStatus(bill, new Date());
  return (
    <View className="bill__card bill__header">
      <View className="bill__row">
        <Text className="bill__store">{bill.storeName}</Text>
        <Text className={`bill__status bill__status--${status.tone}`}>{status.label}</Text>
      </View>
      <Text className="bill__total">{formatFen(bill.totalFen)}</Text>
      <Text className="bill__meta">账单号 {bill.number}</Text>
      <Text className="bill__meta">时间 {formatDateTime(bill.settledAt ?? bill.createdAt)}</Text>
      <Text className="bill__meta">服务人员 {bill.openedBy.name}</Text>
    </View>
  );
}

function BillLines({ bill }: { bill: Bill }) {
  const discounts = [
    { label: '会员折扣', fen: bill.tierDiscountFen },
    { label: '优惠券', fen: bill.couponDiscountFen },
    { label: '门店优惠', fen: bill.manualDiscountFen },
  ].filter((d) => d.fen > 0);
  return (
    <View className="bill__card">
      <Text className="bill__title">消费明细</Text>
      {bill.lines.map((line) => {
        const view = billLineView(line);
        return (
          <View key={line.id} className="bill__line">
            <View className="bill__line-main">
              <Text className="bill__line-name">
                {line.name} ×{line.quantity}
              </Text>
              {view.detailText ? <Text className="bill__line-detail">{view.detailText}</Text> : null}
            </View>
            <Text className="bill__line-amount">{view.amountText}</Text>
          </View>
        );
      })}
      <View className="bill__line bill__line--sum">
        <Text>小计</Text>
        <Text>{formatFen(bill.subtotalFen)}</Text>
      </View>
      {discounts.map((d) => (
        <View key={d.label} className="bill__line bill__line--discount">
          <Text>{d.label}</Text>
          <Text>-{formatFen(d.fen)}</Text>
        </View>
      ))}
      <View className="bill__line bill__line--total">
        <Text>合计</Text>
        <Text>{formatFen(bill.totalFen)}</Text>
      </View>
    </View>
  );
}

function BillTenders({ bill, pointValueFen }: { bill: Bill; pointValueFen: number | null }) {
  if (bill.tenders.length === 0) return null;
  return (
    <View className="bill__card">
      <Text className="bill__title">{bill.status === 'awaiting_customer' ? '待扣款' : '支付方式'}</Text>
      {bill.tenders.map((tender) => (
        <View key={tender.method} className="bill__line bill__tender">
          <Text>{tenderLabel(tender.method)}</Text>
          <Text>
            {tender.method === 'points' && pointValueFen
              ? pointsWithWorth(tender.points, pointValueFen)
              : tenderAmountText(tender)}
          </Text>
        </View>
      ))}
    </View>
  );
}

function BillRefunds({ bill }: { bill: Bill }) {
  if (bill.refunds.length === 0) return null;
  return (
    <View className="bill__card">
      <View className="bill__row">
        <Text className="bill__title">退款记录</Text>
        <Text className="bill__refunded">共退 {formatFen(bill.refundedFen)}</Text>
      </View>
      {bill.refunds.map(refundView).map((refund) => (
        <View key={refund.id} className="bill__refund">
          <View className="bill__row">
            <Text className="bill__refund-kind">
              {refund.kindLabel} {refund.amountText}
            </Text>
            <Text className="bill__meta">{refund.timeText}</Text>
          </View>
          <Text className="bill__meta">退回 {refund.tendersText}</Text>
          <Text className="bill__meta">原因 {refund.reason}</Text>
        </View>
      ))}
    </View>
  );
}

function BillDisputes({ bill, disputes }: { bill: Bill; disputes: Dispute[] }) {
  const period = disputeWindow(bill, new Date());
  if (period.state === 'none' && disputes.length === 0) return null;
  return (
    <View className="bill__card">
      <Text className="bill__title">疑问反馈</Text>
      {period.state === 'open' ? (
        <Text className="bill__meta">如对本单有疑问，可在 {period.untilText} 前反馈</Text>
      ) : null}
      {period.state === 'closed' ? <Text className="bill__meta">反馈时间已于 {period.untilText} 截止</Text> : null}
      {disputes.map((dispute) => (
        <View key={dispute.id} className="bill__dispute">
          <View className="bill__row">
            <Text className="bill__dispute-reason">我的疑问：{dispute.reason}</Text>
            <Text className={`bill__dispute-status bill__dispute-status--${dispute.status}`}>
              {disputeStatusLabel(dispute.status)}
            </Text>
          </View>
          {dispute.answer ? <Text className="bill__dispute-answer">门店答复：{dispute.answer}</Text> : null}
        </View>
      ))}
    </View>
  );
}

interface ActionsProps {
  detail: Detail;
  busy: Busy;
  form: Form;
  onForm: (form: Form) => void;
  onConfirm: () => void;
  onPay: () => void;
  onDecline: (reason: string) => void;
  onDispute: (reason: string) => void;
}

function BillActionsPanel({ detail, busy, form, onForm, onConfirm, onPay, onDecline, onDispute }: ActionsProps) {
  const { bill } = detail;
  const actions = billActions(bill, detail.disputes, new Date());
  if (!actions.confirm && !actions.decline && actions.wechatFen === null && !actions.dispute) {
    // Nothing to tap, but a bill that stopped waiting for the customer should say what happens next.
    if (bill.status === 'awaiting_customer') {
      return <Text className="bill__notice">确认已超时，未扣款。如需结账，请联系美容师重新发起。</Text>;
    }
    if (bill.status === 'open') return <Text className="bill__notice">本单已退回美容师处理，未扣款。</Text>;
    return null;
  }

  if (form === 'decline') {
    return (
      <ReasonForm
        title="拒绝本次扣款"
        placeholder="请告诉美容师哪里不对（如项目或金额有误）"
        submitLabel={busy === 'decline' ? '提交中…' : '确认拒绝'}
        busy={busy !== null}
        onSubmit={onDecline}
        onCancel={() => onForm(null)}
      />
    );
  }
  if (form === 'dispute') {
    return (
      <ReasonForm
        title="对本单有疑问"
        placeholder="请简要说明疑问，门店店长会答复您"
        submitLabel={busy === 'dispute' ? '提交中…' : '提交疑问'}
        busy={busy !== null}
        onSubmit={onDispute}
        onCancel={() => onForm(null)}
      />
    );
  }

  return (
    <View className="bill__actions">
      {actions.confirm || actions.wechatFen !== null ? (
        <Text className="bill__notice">
          请核对以上项目与金额{bill.holdExpiresAt ? `，并在 ${formatDateTime(bill.holdExpiresAt)} 前处理` : ''}。
          {actions.wechatFen !== null ? '支付即视为确认本单。' : '确认后将从您的账户扣除。'}
        </Text>
      ) : null}
      {/* No `loading` spinners: the labels say what is happening (see ActionButton). */}
      {actions.confirm ? (
        <ActionButton className="bill__action" type="primary" disabled={busy !== null} onClick={onConfirm}>
          {busy === 'confirm' ? '确认中…' : `确认扣款 ${formatFen(bill.totalFen)}`}
        </ActionButton>
      ) : null}
      {actions.wechatFen !== null ? (
        <ActionButton className="bill__action" type="primary" disabled={busy !== null} onClick={onPay}>
          {busy === 'confirming-payment'
            ? '正在确认支付结果…'
            : busy === 'pay'
              ? '支付中…'
              : `微信支付 ${formatFen(actions.wechatFen)}`}
        </ActionButton>
      ) : null}
      {actions.decline ? (
        <ActionButton className="bill__action" disabled={busy !== null} onClick={() => onForm('decline')}>
          拒绝
        </ActionButton>
      ) : null}
      {actions.dispute ? (
        <ActionButton className="bill__action" disabled={busy !== null} onClick={() => onForm('dispute')}>
          有疑问
        </ActionButton>
      ) : null}
    </View>
  );
}

interface ReasonFormProps {
  title: string;
  placeholder: string;
  submitLabel: string;
  busy: boolean;
  onSubmit: (reason: string) => void;
  onCancel: () => void;
}

function ReasonForm({ title, placeholder, submitLabel, busy, onSubmit, onCancel }: ReasonFormProps) {
  const [text, setText] = useState('');
  const [invalid, setInvalid] = useState(false);

  function submit() {
    const reason = text.trim();
    if (reason.length < REASON_MIN) {
      setInvalid(true);
      return;
    }
    onSubmit(reason);
  }

  return (
    <View className="bill__actions bill__form">
      <Text className="bill__title">{title}</Text>
      <Input
        className="bill__reason"
        value={text}
        placeholder={placeholder}
        maxlength={REASON_MAX}
        onInput={(event) => {
          setText(event.detail.value);
          setInvalid(false);
        }}
      />
      <InlineError className="bill__error" message={invalid ? `请填写原因，至少 ${REASON_MIN} 个字` : null} />
      <ActionButton className="bill__action" type="primary" disabled={busy} onClick={submit}>
        {submitLabel}
      </ActionButton>
      <ActionButton className="bill__action" disabled={busy} onClick={onCancel}>
        取消
      </ActionButton>
    </View>
  );
}
