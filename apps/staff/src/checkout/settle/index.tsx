import { Input, Text, View } from '@tarojs/components';
import Taro, { useRouter } from '@tarojs/taro';
import { useState } from 'react';
import {
  ActionButton,
  allocateTenders,
  billStatusLabel,
  createAttemptKeys,
  fillRemaining,
  formatFen,
  InlineError,
  PageShell,
  TENDER_METHODS,
  tenderAvailability,
  type TenderDrafts,
  type TenderMethod,
  useAsync,
} from '@lumi/mini';
import { type Bill, type StaffCatalog, TENDER_LABELS, type Wallet } from '@lumi/shared';
import { BILLS_PAGE, BILL_PAGE } from '../../routes.ts';
import { getBill, getCatalog, settleBill } from '../../services/checkout.ts';
import { getCustomerWallet } from '../../services/customers.ts';
import { BillLines } from '../bill-lines.tsx';
import { checkoutErrorMessage } from '../errors.ts';
import '../checkout.scss';

interface SettleData {
  bill: Bill;
  wallet: Wallet;
  catalog: StaffCatalog;
}

async function loadSettle(id: string): Promise<SettleData> {
  const bill = await getBill(id);
  const [wallet, catalog] = await Promise.all([getCustomerWallet(bill.customerId), getCatalog()]);
  return { bill, wallet, catalog };
}

export default function SettlePage() {
  const id = useRouter().params.id ?? '';
  const { data, error, loading, reload } = useAsync(() => loadSettle(id), [id]);
  const [drafts, setDrafts] = useState<TenderDrafts>({});
  const [busy, setBusy] = useState(false);
  const [submitError, setSubmitError] = useState<string | null>(null);
  // One key per set of tenders: a retry after a lost answer settles once, other tenders are a new attempt.
  const [keys] = useState(() => createAttemptKeys('settle'));

  if (data?.bill.status !== 'open') {
    return (
      <PageShell loading={loading} error={error} onRetry={reload} backTo={BILLS_PAGE} className="ck">
        {data ? <AlreadyDone bill={data.bill} /> : null}
      </PageShell>
    );
  }

  const { bill, wallet, catalog } = data;
  const availability = tenderAvailability(wallet, catalog.pointValueFen);
  const allocation = allocateTenders(bill.totalFen, drafts, availability, catalog.pointValueFen);
  const lineOf = (method: TenderMethod) => allocation.lines.find((line) => line.method === method);

  const edit = (method: TenderMethod, patch: Partial<{ text: string; reference: string }>) => {
    setSubmitError(null);
    setDrafts((current) => ({ ...current, [method]: { text: '', ...current[method], ...patch } }));
  };

  async function handleSettle() {
    if (!allocation.tenders || busy) return;
    const body = { tenders: allocation.tenders };
    setBusy(true);
    setSubmitError(null);
    try {
      const settled = await settleBill(bill.id, body, keys.keyFor(body));
      keys.finish();
      void Taro.showToast({ title: billStatusLabel(settled), icon: 'none', duration: 2000 });
      await Taro.redirectTo({ url: `${BILL_PAGE}?id=${bill.id}` });
    } catch (cause) {
      setSubmitError(checkoutErrorMessage(cause, '结账失败，请重试'));
    } finally {
      setBusy(false);
    }
  }

  return (
    <PageShell className="ck">
      <BillLines bill={bill} />
      <View className="ck__card">
        <Text className="ck__title">支付方式</Text>
        {TENDER_METHODS.map((method) => {
          const can = availability[method];
          const line = lineOf(method);
          const draft = drafts[method];
          const unit = method === 'points' ? '积分' : '元';
          return (
            <View key={method} className={`ck__row ck__tender ck__tender--${method}`}>
              <View className="ck__main">
                <Text>{TENDER_LABELS[method]}</Text>
                {can.note ? <Text className="ck__muted">{can.note}</Text> : null}
                {method === 'points' && line && line.fen > 0 ? (
                  <Text className="ck__muted">抵 {formatFen(line.fen)}</Text>
                ) : null}
                {line?.error ? <Text className="ck__error">{line.error}</Text> : null}
                {method === 'card' && draft?.text ? (
                  <Input
                    className="ck__input ck__input--wide ck__card-reference"
                    placeholder="刷卡凭证号"
                    maxlength={64}
                    value={draft.reference ?? ''}
                    onInput={(event) => edit('card', { reference: event.detail.value })}
                  />
                ) : null}
              </View>
              {can.allowed ? (
                <View className="ck__stepper">
                  <Text
                    className="ck__link ck__fill"
                    onClick={() =>
                      edit(method, {
                        text: fillRemaining(
                          method,
                          line?.fen ?? 0,
                          allocation.remainingFen,
                          can,
                          catalog.pointValueFen,
                        ),
                      })
                    }
                  >
                    补足
                  </Text>
                  <Input
                    className={
                      line?.error ? 'ck__input ck__input--amount ck__input--bad' : 'ck__input ck__input--amount'
                    }
                    type={method === 'points' ? 'number' : 'digit'}
                    placeholder={unit}
                    value={draft?.text ?? ''}
                    onInput={(event) => edit(method, { text: event.detail.value })}
                  />
                </View>
              ) : null}
            </View>
          );
        })}
        {drafts.wechat?.text ? (
          <Text className="ck__hint">微信支付部分将由顾客在会员小程序内付款，付款后账单自动结清。</Text>
        ) : null}
      </View>

      <View className="ck__card">
        <View className="ck__row">
          <Text>应收</Text>
          <Text className="ck__amount">{formatFen(allocation.totalFen)}</Text>
        </View>
        <View className="ck__row">
          <Text>已分配</Text>
          <Text className="ck__amount ck__allocated">{formatFen(allocation.allocatedFen)}</Text>
        </View>
        <View className="ck__row ck__row--total">
          <Text>待分配</Text>
          <Text className="ck__amount ck__remaining">{formatFen(allocation.remainingFen)}</Text>
        </View>
        <ActionButton
          className="ck__submit ck__settle"
          type="primary"
          disabled={busy || allocation.tenders === null}
          onClick={() => void handleSettle()}
        >
          {busy ? '结账中…' : `确认结账 ${formatFen(bill.totalFen)}`}
        </ActionButton>
        {allocation.blocker ? <Text className="ck__hint ck__blocker">{allocation.blocker}</Text> : null}
        <InlineError className="ck__error ck__settle-error" message={submitError} />
      </View>
    </PageShell>
  );
}

/** Opened again after the bill was settled (or voided): say so and lead to the bill. */
function AlreadyDone({ bill }: { bill: Bill }) {
  return (
    <View className="ck__card">
      <Text className="ck__status">{billStatusLabel(bill)}</Text>
      <Text className="ck__hint">该账单已无需结账。</Text>
      <ActionButton className="ck__submit" onClick={() => void Taro.redirectTo({ url: `${BILL_PAGE}?id=${bill.id}` })}>
        查看账单
      </ActionButton>
    </View>
  );
}
