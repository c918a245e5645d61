import { Input, Text, View } from '@tarojs/components';
import Taro, { useRouter } from '@tarojs/taro';
import { useState } from 'react';
import {
  ActionButton,
  ApiError,
  billStatusLabel,
  formatDate,
  formatDateTime,
  formatFen,
  InlineError,
  PageShell,
  useAsync,
  useRefreshOnReturn,
} from '@lumi/mini';
import type { Bill, CustomerCredit, CustomerNote, CustomerProfile, CustomerValue, Wallet } from '@lumi/shared';
import {
  BILL_PAGE,
  CARD_TRANSFER_PAGE,
  CREDIT_PAGE,
  FRONT_DESK_PAGE,
  NEW_BILL_PAGE,
  SELL_CARD_PAGE,
  TOP_UP_PAGE,
} from '../../routes.ts';
import { getCustomer, getCustomerWallet } from '../../services/customers.ts';
import {
  addNote,
  getCustomerCredit,
  getCustomerValue,
  listCustomerBills,
  listNotes,
} from '../../services/front-desk.ts';
import { AuditTrailLink } from '../../audit-trail-link.tsx';
import { MemberAssets } from '../../member-assets.tsx';
import '../front-desk.scss';

interface CardData {
  customer: CustomerProfile;
  wallet: Wallet;
  value: CustomerValue;
  credit: CustomerCredit;
  notes: CustomerNote[];
  bills: Bill[];
}

async function loadCard(id: string): Promise<CardData> {
  const [customer, wallet, value, credit, notes, bills] = await Promise.all([
    getCustomer(id),
    getCustomerWallet(id),
    getCustomerValue(id),
    getCustomerCredit(id),
    listNotes(id),
    listCustomerBills(id),
  ]);
  return { customer, wallet, value, credit, notes, bills };
}

const RECENT_BILLS = 5;

/** 会员卡: everything the front desk needs about one customer, and the counter tasks for her. */
export default function CustomerCardPage() {
  const id = useRouter().params.id ?? '';
  const { data, error, loading, reload } = useAsync(() => loadCard(id), [id]);
  // Back from a top-up, a card sale or a repayment: the numbers changed.
  useRefreshOnReturn(reload);
  const go = (page: string) => void Taro.navigateTo({ url: `${page}?customerId=${id}` });

  return (
    <PageShell loading={loading} error={error} onRetry={reload} backTo={FRONT_DESK_PAGE} className="fd">
      {data ? (
        <>
          <Profile customer={data.customer} value={data.value} />
          <View className="fd__card">
            <View className="fd__actions">
              <ActionButton className="fd__action" type="primary" onClick={() => go(TOP_UP_PAGE)}>
                充值
              </ActionButton>
              <ActionButton className="fd__action" onClick={() => go(SELL_CARD_PAGE)}>
                售次卡
              </ActionButton>
              <ActionButton className="fd__action" onClick={() => go(NEW_BILL_PAGE)}>
                开单
              </ActionButton>
              <ActionButton className="fd__action" onClick={() => go(CREDIT_PAGE)}>
                挂账/还款
              </ActionButton>
            </View>
            <AuditTrailLink subjectId={id} title={data.customer.name ?? '顾客'} className="fd__link" />
          </View>
          <MemberAssets
            wallet={data.wallet}
            block="fd"
            cardAction={(card) => <CardTransfer customerId={id} card={card} />}
          />
          <Credit credit={data.credit} />
          <Value value={data.value} />
          <Notes customerId={id} initial={data.notes} />
          <RecentBills bills={data.bills} />
        </>
      ) : null}
    </PageShell>
  );
}

function Profile({ customer, value }: { customer: CustomerProfile; value: CustomerValue }) {
  return (
    <View className="fd__card fd__profile">
      <Text className="fd__big">{customer.name ?? '未填写姓名'}</Text>
      <Text className="fd__muted">
        {customer.phone ?? '无手机号'} · 会员号 {customer.memberNo}
      </Text>
      <View className="fd__row">
        <Text>会员等级</Text>
        <Text className="fd__tier">{value.tier.name ?? '普通会员'}</Text>
      </View>
      <View className="fd__row">
        <Text>客户分群</Text>
        <Text className="fd__segment">{value.rfm?.segmentLabel ?? '尚未分群'}</Text>
      </View>
      {customer.tags.length > 0 ? (
        <View className="fd__tags">
          {customer.tags.map((tag) => (
            <Text key={tag} className="fd__tag">
              {tag}
            </Text>
          ))}
        </View>
      ) : null}
    </View>
  );
}

/** 转卡: a beautician asks a manager, a manager transfers directly (front-desk/card-transfer). */
function CardTransfer({ customerId, card }: { customerId: string; card: Wallet['packageCards'][number] }) {
  if (card.expired || card.sessionsLeft === 0) return null;
  const open = () => void Taro.navigateTo({ url: `${CARD_TRANSFER_PAGE}?customerId=${customerId}&cardId=${card.id}` });
  return (
    <Text className="fd__link fd__card-transfer" onClick={open}>
      转卡
    </Text>
  );
}

function Credit({ credit }: { credit: CustomerCredit }) {
  return (
    <View className="fd__card fd__credit">
      <Text className="fd__title">挂账</Text>
      <View className="fd__row">
        <Text>额度</Text>
        <Text className="fd__amount fd__credit-limit">{formatFen(credit.limitFen)}</Text>
      </View>
      <View className="fd__row">
        <Text>欠款</Text>
        <Text className="fd__amount fd__credit-owed">{formatFen(credit.owedFen)}</Text>
      </View>
      <View className="fd__row">
        <Text>下次还款</Text>
        <Text className="fd__amount fd__credit-next">
          {credit.nextDue ? `${formatDate(credit.nextDue.dueDate)} 应还 ${formatFen(credit.nextDue.amountFen)}` : '无'}
        </Text>
      </View>
      {credit.overdueFen > 0 ? <Text className="fd__error">已逾期 {formatFen(credit.overdueFen)}</Text> : null}
      {credit.status === 'frozen' ? <Text className="fd__error">额度已冻结</Text> : null}
    </View>
  );
}

function Value({ value }: { value: CustomerValue }) {
  return (
    <View className="fd__card fd__value">
      <Text className="fd__title">价值分析</Text>
      <View className="fd__row">
        <Text>累计消费</Text>
        <Text className="fd__amount">{formatFen(value.lifetimeSpendFen)}</Text>
      </View>
      <View className="fd__row">
        <Text>到店次数 · 客单价</Text>
        <Text className="fd__amount">
          {value.paidVisits} 次 · {value.averageTicketFen === null ? '—' : formatFen(value.averageTicketFen)}
        </Text>
      </View>
      {value.cadence.expectedNextVisitOn ? (
        <View className="fd__row">
          <Text>预计下次到店</Text>
          <Text className="fd__amount">{formatDate(value.cadence.expectedNextVisitOn)}</Text>
        </View>
      ) : null}
      <Text className="fd__label">推荐</Text>
      {value.recommendations.length === 0 ? <Text className="fd__muted">暂无推荐</Text> : null}
      {value.recommendations.slice(0, 3).map((item) => (
        <View key={item.name} className="fd__main fd__recommendation">
          <Text>{item.name}</Text>
          <Text className="fd__reason">{item.reason}</Text>
        </View>
      ))}
    </View>
  );
}

function Notes({ customerId, initial }: { customerId: string; initial: CustomerNote[] }) {
  const [notes, setNotes] = useState(initial);
  const [text, setText] = useState('');
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<string | null>(null);

  async function save() {
    if (!text.trim() || busy) return;
    setBusy(true);
    setError(null);
    try {
      const note = await addNote(customerId, text.trim());
      setNotes((before) => [note, ...before]);
      setText('');
    } catch (failure) {
      setError(failure instanceof ApiError ? failure.message : '保存失败，请重试');
    } finally {
      setBusy(false);
    }
  }

  return (
    <View className="fd__card fd__notes">
      <Text className="fd__title">备注</Text>
      {notes.map((note) => (
        <View key={note.id} className="fd__main fd__note">
          <Text>{note.body}</Text>
          <Text className="fd__muted">
            {note.authorName} · {formatDateTime(note.createdAt)}
          </Text>
        </View>
      ))}
      <Input
        className="fd__input fd__note-input"
        maxlength={500}
        placeholder="例如：对芒果过敏，喜欢安静"
        value={text}
        onInput={(event) => setText(event.detail.value)}
      />
      <InlineError className="fd__error" message={error} />
      <ActionButton size="mini" disabled={busy || !text.trim()} onClick={() => void save()}>
        {busy ? '保存中…' : '添加备注'}
      </ActionButton>
    </View>
  );
}

function RecentBills({ bills }: { bills: Bill[] }) {
  return (
    <View className="fd__card fd__bills">
      <Text className="fd__title">最近账单</Text>
      {bills.length === 0 ? <Text className="fd__muted">还没有账单</Text> : null}
      {bills.slice(0, RECENT_BILLS).map((bill) => (
        <View
          key={bill.id}
          className="fd__row fd__bill"
          onClick={() => void Taro.navigateTo({ url: `${BILL_PAGE}?id=${bill.id}` })}
        >
          <View className="fd__main">
            <Text>{bill.lines.map((line) => line.name).join('、') || bill.number}</Text>
            <Text className="fd__muted">
              {formatDateTime(bill.createdAt)} · {billStatusLabel(bill)}
            </Text>
          </View>
          <Text className="fd__amount">{formatFen(bill.totalFen)}</Text>
        </View>
      ))}
    </View>
  );
}
