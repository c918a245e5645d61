import { Text, View } from '@tarojs/components';
import { billLineView, billStatusLabel, formatDateTime, formatFen } from '@lumi/mini';
import type { Bill } from '@lumi/shared';

/** The head of a bill and its lines with the totals, as on the receipt. */
export function BillLines({ bill }: { bill: Bill }) {
  const discounts: [string, number][] = [
    ['会员折扣', bill.tierDiscountFen],
    ['优惠券', bill.couponDiscountFen],
    ['手工优惠', bill.manualDiscountFen],
  ];
  return (
    <View className="ck__card ck__bill">
      <Text className="ck__status ck__bill-status">{billStatusLabel(bill)}</Text>
      <Text className="ck__title">{bill.customerName ?? '顾客'}</Text>
      <Text className="ck__muted">
        {bill.number} · {bill.storeName} · {formatDateTime(bill.createdAt)}
      </Text>
      {bill.lines.map((line) => {
        const view = billLineView(line);
        return (
          <View key={line.id} className="ck__row ck__bill-line">
            <View className="ck__main">
              <Text>
                {line.name} ×{line.quantity}
              </Text>
              {view.detailText ? <Text className="ck__muted ck__line-detail">{view.detailText}</Text> : null}
            </View>
            <Text className="ck__amount">{view.amountText}</Text>
          </View>
        );
      })}
      <View className="ck__row">
        <Text className="ck__muted">小计</Text>
        <Text className="ck__amount">{formatFen(bill.subtotalFen)}</Text>
      </View>
      {discounts
        .filter(([, fen]) => fen > 0)
        .map(([label, fen]) => (
          <View key={label} className="ck__row">
            <Text className="ck__muted">{label}</Text>
            <Text className="ck__amount">-{formatFen(fen)}</Text>
          </View>
        ))}
      <View className="ck__row ck__row--total">
        <Text>应收</Text>
        <Text className="ck__amount ck__bill-total">{formatFen(bill.totalFen)}</Text>
      </View>
    </View>
  );
}
