import { Text, View } from '@tarojs/components';
import Taro from '@tarojs/taro';
import {
  awaitsCustomer,
  billStatus,
  formatDateTime,
  formatFen,
  PageShell,
  sortBillsForCustomer,
  useAsync,
  useRefreshOnReturn,
} from '@lumi/mini';
import type { Bill } from '@lumi/shared';
import { billDetailPage, BILLS_PAGE } from '../../routes.ts';
import { getMyBills } from '../../services/bills.ts';
import { useTabPage } from '../../tab-bar/tab-state.ts';
import './index.scss';

export default function BillsPage() {
  useTabPage(BILLS_PAGE);
  const { data, error, loading, reload, refresh } = useAsync(getMyBills);
  // Back from a bill the customer just confirmed, it must leave 待确认.
  useRefreshOnReturn(refresh);

  const now = new Date();
  const bills = sortBillsForCustomer(data ?? [], now);
  const waiting = bills.filter((bill) => awaitsCustomer(bill, now));
  const history = bills.filter((bill) => !awaitsCustomer(bill, now));

  return (
    <PageShell
      loading={loading}
      error={error}
      onRetry={reload}
      empty={bills.length === 0}
      emptyText="暂无账单"
      className="bills lumi-tab-page"
    >
      {waiting.length > 0 ? (
        <>
          <Text className="bills__section bills__section--waiting">待确认（{waiting.length}）</Text>
          {waiting.map((bill) => (
            <BillCard key={bill.id} bill={bill} now={now} />
          ))}
        </>
      ) : null}
      {history.length > 0 ? (
        <>
          <Text className="bills__section">历史账单</Text>
          {history.map((bill) => (
            <BillCard key={bill.id} bill={bill} now={now} />
          ))}
        </>
      ) : null}
    </PageShell>
  );
}

/** "深层补水护理 等 3 项" */
function linesSummary(bill: Bill): string {
  const [first] = bill.lines;
  if (!first) return '';
  return bill.lines.length > 1 ? `${first.name} 等 ${bill.lines.length} 项` : first.name;
}

function BillCard({ bill, now }: { bill: Bill; now: Date }) {
  const status = billStatus(bill, now);
  const waiting = awaitsCustomer(bill, now);
  return (
    <View
      className={waiting ? 'bill-card bill-card--waiting' : 'bill-card'}
      onClick={() => void Taro.navigateTo({ url: billDetailPage(bill.id) })}
    >
      <View className="bill-card__head">
        <Text className="bill-card__store">{bill.storeName}</Text>
        <Text className={`bill-card__status bill-card__status--${status.tone}`}>{status.label}</Text>
      </View>
      <View className="bill-card__body">
        <Text className="bill-card__items">{linesSummary(bill)}</Text>
        <Text className="bill-card__total">{formatFen(bill.totalFen)}</Text>
      </View>
      <View className="bill-card__foot">
        <Text className="bill-card__time">{formatDateTime(bill.createdAt)}</Text>
        {waiting ? <Text className="bill-card__hint">请核对并确认 ›</Text> : null}
        {!waiting && bill.refundedFen > 0 ? (
          <Text className="bill-card__refunded">已退 {formatFen(bill.refundedFen)}</Text>
        ) : null}
      </View>
    </View>
  );
}
