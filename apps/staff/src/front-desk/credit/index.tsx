import { Input, Text, View } from '@tarojs/components';
import { useRouter } from '@tarojs/taro';
import { useRef, useState } from 'react';
import {
  ActionButton,
  ApiError,
  createAttemptKeys,
  formatDate,
  formatDateTime,
  fenToYuanString,
  formatFen,
  InlineError,
  PageShell,
  parseYuanInput,
  useAsync,
} from '@lumi/mini';
import type { CreditRepaymentRequest, CustomerCredit, StaffProfile, WaitingCreditLimitRequest } from '@lumi/shared';
import { FRONT_DESK_PAGE } from '../../routes.ts';
import { getCustomer } from '../../services/customers.ts';
import {
  getCreditSuggestion,
  getCustomerCredit,
  getWaitingCreditRequest,
  repayCredit,
  requestCreditLimit,
} from '../../services/front-desk.ts';
import { getMyStaffProfile } from '../../services/profile.ts';
import { MethodChips, StoreChips } from '../store-chips.tsx';
import '../front-desk.scss';

async function loadCredit(customerId: string) {
  const [me, customer, credit, suggestion, waiting] = await Promise.all([
    getMyStaffProfile(),
    getCustomer(customerId),
    getCustomerCredit(customerId),
    getCreditSuggestion(customerId),
    getWaitingCreditRequest(customerId),
  ]);
  return { me, customer, credit, suggestion, waiting };
}

/** 挂账: what the customer owes and when, a repayment, and a request for a (higher) credit limit. */
export default function CreditPage() {
  const customerId = useRouter().params.customerId ?? '';
  const { data, error, loading, reload } = useAsync(() => loadCredit(customerId), [customerId]);
  const [credit, setCredit] = useState<CustomerCredit | null>(null);
  const shown = credit ?? data?.credit ?? null;

  return (
    <PageShell loading={loading} error={error} onRetry={reload} backTo={FRONT_DESK_PAGE} className="fd">
      {data && shown ? (
        <>
          <Owed credit={shown} name={data.customer.name} />
          <Repayment
            customerId={customerId}
            me={data.me}
            owedFen={shown.owedFen}
            onRepaid={async () => setCredit(await getCustomerCredit(customerId))}
          />
          <LimitRequest
            customerId={customerId}
            suggestion={data.suggestion}
            currentLimitFen={shown.limitFen}
            meId={data.me.id}
            pending={data.waiting}
          />
        </>
      ) : null}
    </PageShell>
  );
}

function Owed({ credit, name }: { credit: CustomerCredit; name: string | null }) {
  const items = credit.openSales.flatMap((sale) => sale.items.filter((item) => item.outstandingFen > 0));
  return (
    <View className="fd__card fd__owed">
      <Text className="fd__title">{name ?? '顾客'} 的挂账</Text>
      <View className="fd__row">
        <Text>欠款</Text>
        <Text className="fd__big fd__owed-total">{formatFen(credit.owedFen)}</Text>
      </View>
      <View className="fd__row">
        <Text>额度 · 可用</Text>
        <Text className="fd__amount">
          {formatFen(credit.limitFen)} · {formatFen(Math.max(0, credit.limitFen - credit.owedFen))}
        </Text>
      </View>
      {items.length === 0 ? <Text className="fd__muted">没有待还款项</Text> : null}
      {items.map((item) => (
        <View key={item.id} className="fd__row fd__due">
          <View className="fd__main">
            <Text>
              {formatDate(item.dueDate)} 到期{item.of > 1 ? `（第 ${item.seq}/${item.of} 期）` : ''}
            </Text>
            <Text className={item.overdueDays > 0 ? 'fd__error' : 'fd__muted'}>
              {item.overdueDays > 0
                ? `已逾期 ${item.overdueDays} 天`
                : item.paidFen > 0
                  ? `已还 ${formatFen(item.paidFen)}`
                  : '待还'}
            </Text>
          </View>
          <Text className="fd__amount">{formatFen(item.outstandingFen)}</Text>
        </View>
      ))}
    </View>
  );
}

const METHODS = ['cash', 'card', 'stored_value'] as const;

function Repayment({
  customerId,
  me,
  owedFen,
  onRepaid,
}: {
  customerId: string;
  me: StaffProfile;
  owedFen: number;
  onRepaid: () => Promise<void>;
}) {
  const [amountText, setAmountText] = useState('');
  const [method, setMethod] = useState<(typeof METHODS)[number]>('cash');
  const [storeId, setStoreId] = useState(me.stores[0]?.id ?? '');
  const [busy, setBusy] = useState(false);
  const [message, setMessage] = useState<{ ok: boolean; text: string } | null>(null);
  const keys = useRef(createAttemptKeys('repay')).current;

  if (owedFen <= 0 && !message) return null;

  async function submit() {
    if (busy) return;
    const parsed = parseYuanInput(amountText);
    if (!parsed.ok) return setMessage({ ok: false, text: parsed.message });
    if (parsed.fen <= 0) return setMessage({ ok: false, text: '请输入还款金额' });
    const body: CreditRepaymentRequest = { storeId, amountFen: parsed.fen, method };
    setBusy(true);
    setMessage(null);
    try {
      const result = await repayCredit(customerId, body, keys.keyFor(body));
      keys.finish();
      setAmountText('');
      setMessage({ ok: true, text: `已还 ${formatFen(result.amountFen)}，还欠 ${formatFen(result.credit.owedFen)}` });
      await onRepaid();
    } catch (failure) {
      setMessage({ ok: false, text: failure instanceof ApiError ? failure.message : '还款失败，请重试' });
    } finally {
      setBusy(false);
    }
  }

  return (
    <View className="fd__card fd__repayment">
      <Text className="fd__title">还款</Text>
      <StoreChips me={me} storeId={storeId} onChange={setStoreId} />
      <Input
        className="fd__input fd__repay-amount"
        type="digit"
        placeholder={`金额（元），最多 ${formatFen(owedFen)}`}
        value={amountText}
        onInput={(event) => setAmountText(event.detail.value)}
      />
      <MethodChips methods={METHODS} method={method} onChange={setMethod} />
      {message ? (
        <View className={message.ok ? 'fd__ok fd__repay-result' : 'fd__error'} role="alert">
          <Text>{message.text}</Text>
        </View>
      ) : null}
      <ActionButton
        className="fd__repay-submit"
        type="primary"
        disabled={busy || owedFen <= 0}
        onClick={() => void submit()}
      >
        {busy ? '还款中…' : '确认还款'}
      </ActionButton>
    </View>
  );
}

function LimitRequest({
  customerId,
  suggestion,
  currentLimitFen,
  meId,
  pending,
}: {
  customerId: string;
  suggestion: { suggestedLimitFen: number; reasons: string[] };
  currentLimitFen: number;
  meId: string;
  /**
   * The request already waiting for a manager, hers or a colleague's: shown instead of the form, since a second
   * one would be refused.
   */
  pending: WaitingCreditLimitRequest | null;
}) {
  const [limitText, setLimitText] = useState('');
  const [reason, setReason] = useState('');
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<string | null>(null);
  const [waiting, setWaiting] = useState(pending);
  // The suggestion is the default only when it raises her limit: asking for less than she has is not a request.
  const defaultFen = suggestion.suggestedLimitFen > currentLimitFen ? suggestion.suggestedLimitFen : null;

  async function submit() {
    if (busy) return;
    const text = limitText || (defaultFen === null ? '' : fenToYuanString(defaultFen));
    if (!text) return setError('请输入申请额度');
    const parsed = parseYuanInput(text);
    if (!parsed.ok) return setError(parsed.message);
    if (parsed.fen <= currentLimitFen) return setError(`申请额度应高于当前额度 ${formatFen(currentLimitFen)}`);
    if (reason.trim().length < 2) return setError('请写明申请理由');
    setBusy(true);
    setError(null);
    try {
      setWaiting(await requestCreditLimit(customerId, { requestedLimitFen: parsed.fen, reason: reason.trim() }));
    } catch (failure) {
      setError(failure instanceof ApiError ? failure.message : '提交失败，请重试');
    } finally {
      setBusy(false);
    }
  }

  return (
    <View className="fd__card fd__limit-request">
      <Text className="fd__title">申请挂账额度</Text>
      <View className="fd__row">
        <Text>当前额度</Text>
        <Text className="fd__amount">{formatFen(currentLimitFen)}</Text>
      </View>
      <View className="fd__row">
        <Text>建议额度</Text>
        <Text className="fd__amount fd__suggested">{formatFen(suggestion.suggestedLimitFen)}</Text>
      </View>
      {suggestion.reasons.map((line) => (
        <Text key={line} className="fd__reason">
          · {line}
        </Text>
      ))}
      {waiting ? (
        <WaitingRequest request={waiting} mine={waiting.requestedBy.id === meId} />
      ) : (
        <>
          <Input
            className="fd__input fd__limit-input"
            type="digit"
            placeholder={
              defaultFen === null
                ? `申请额度（元），须高于当前额度 ${formatFen(currentLimitFen)}`
                : `申请额度（元），默认建议额度 ${formatFen(defaultFen)}`
            }
            value={limitText}
            onInput={(event) => setLimitText(event.detail.value)}
          />
          <Input
            className="fd__input fd__limit-reason"
            maxlength={200}
            placeholder="申请理由，例如：老顾客，常办年卡"
            value={reason}
            onInput={(event) => setReason(event.detail.value)}
          />
          <InlineError className="fd__error" message={error} />
          <ActionButton className="fd__limit-submit" disabled={busy} onClick={() => void submit()}>
            {busy ? '提交中…' : '提交店长审批'}
          </ActionButton>
        </>
      )}
    </View>
  );
}

function WaitingRequest({ request, mine }: { request: WaitingCreditLimitRequest; mine: boolean }) {
  const filer = mine ? '我' : (request.requestedBy.name ?? '同事');
  return (
    <View className="fd__filed">
      <Text className="fd__ok">{mine ? '已提交，等待店长审批' : `${filer} 已提交申请，等待店长审批`}</Text>
      <View className="fd__row">
        <Text>申请额度</Text>
        <Text className="fd__amount fd__filed-amount">{formatFen(request.requestedLimitFen)}</Text>
      </View>
      <View className="fd__row">
        <Text>提交</Text>
        <Text className="fd__muted fd__filed-by">
          {formatDateTime(request.createdAt)} · {filer}
        </Text>
      </View>
      {mine ? null : <Text className="fd__muted">店长审批前，不能再为她提交新的申请</Text>}
    </View>
  );
}
