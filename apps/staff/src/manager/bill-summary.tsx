import { Text, View } from '@tarojs/components';
import { billStatusLabel, formatDateTime, formatFen, tenderText } from '@lumi/mini';
import type { Bill } from '@lumi/shared';

/** What a manager checks before deciding about a bill: who served whom, what was sold, how it was paid. */
export function BillSummary({ bill }: { bill: Bill }) {
  return (
    <View className="mg__card mg__bill">
      <Text className="mg__title">
        账单 {bill.number} · {billStatusLabel(bill)}
      </Text>
      <Text className="mg__muted">
        {bill.storeName} · 开单 {bill.openedBy.name} · {formatDateTime(bill.createdAt)}
      </Text>
      {bill.lines.map((line) => (
        <View key={line.id} className="mg__row">
          <Text>
            {line.name} ×{line.quantity}
          </Text>
          <Text className="mg__amount">{formatFen(line.amountFen)}</Text>
        </View>
      ))}
      <View className="mg__row">
        <Text>应收</Text>
        <Text className="mg__amount mg__bill-total">{formatFen(bill.totalFen)}</Text>
      </View>
      {bill.tenders.map((tender, i) => (
        // A settled bill's tenders never change; the position is a stable key.
        <Text key={i} className="mg__muted">
          {tenderText(tender)}
        </Text>
      ))}
      {bill.refundedFen > 0 ? <Text className="mg__muted">已退 {formatFen(bill.refundedFen)}</Text> : null}
    </View>
  );
}
