import { Text, View } from '@tarojs/components';
import Taro from '@tarojs/taro';
import {
  billStatusLabel,
  formatDate,
  formatDateTime,
  formatFen,
  PageShell,
  todayInShanghai,
  useAsync,
  useRefreshOnReturn,
} from '@lumi/mini';
import type { Bill } from '@lumi/shared';
import { BILL_PAGE, HOME_PAGE } from '../../routes.ts';
import { listBills } from '../../services/checkout.ts';
import '../checkout.scss';

/** The API lists the newest 100 bills of my stores; a day at one salon fits in that, so today is picked here. */
async function loadToday(): Promise<Bill[]> {
  const today = todayInShanghai();
  return (await listBills()).filter((bill) => formatDate(bill.createdAt) === today);
}

export default function BillsPage() {
  const { data: bills, error, loading, reload, refresh } = useAsync(loadToday);
  // Back from a bill that was voided or refunded, its line here must say so.
  useRefreshOnReturn(refresh);
  const settled = bills?.filter((b) => b.status === 'settled') ?? [];
  const takenFen = settled.reduce((sum, b) => sum + b.totalFen - b.refundedFen, 0);

  return (
    <PageShell
      loading={loading}
      error={error}
      onRetry={reload}
      backTo={HOME_PAGE}
      empty={bills?.length === 0}
      emptyText="今天还没有账单"
      className="ck"
    >
      <View className="ck__card">
        <View className="ck__row ck__row--total">
          <Text>已结账 {settled.length} 单</Text>
          <Text className="ck__amount">{formatFen(takenFen)}</Text>
        </View>
        <Text className="ck__hint">金额为已结账账单扣除退款后的合计。</Text>
      </View>
      <View className="ck__card">
        {bills?.map((bill) => (
          <View
            key={bill.id}
            className="ck__row ck__bill-item"
            onClick={() => void Taro.navigateTo({ url: `${BILL_PAGE}?id=${bill.id}` })}
          >
            <View className="ck__main">
              <Text>{bill.customerName ?? '顾客'}</Text>
              <Text className="ck__muted">
                {formatDateTime(bill.createdAt)} · {bill.number}
              </Text>
            </View>
            <View className="ck__main ck__bill-item-right">
              <Text className="ck__amount">{formatFen(bill.totalFen)}</Text>
              <Text className="ck__muted">{billStatusLabel(bill)}</Text>
            </View>
          </View>
        ))}
      </View>
    </PageShell>
  );
}
