import { Text, View } from '@tarojs/components';
import { formatCount, formatDate, formatFen } from '@lumi/mini';
import type { ApprovalRequest } from '@lumi/shared';
import { percentText, validThrough } from '../../approval-status.ts';

type Discount = NonNullable<ApprovalRequest['discount']>;
type Transfer = NonNullable<ApprovalRequest['packageTransfer']>;

/** A large discount as the manager weighs it: every line at its list price, the discount in ¥ and %, the limit. */
export function DiscountSubject({ discount, storeName }: { discount: Discount; storeName: string }) {
  const net = discount.subtotalFen - discount.tierDiscountFen - discount.manualDiscountFen;
  return (
    <View className="mg__card mg__discount">
      <Text className="mg__title">待开账单 · {storeName}</Text>
      {discount.lines.map((line, i) => (
        // The draft's lines never change; the position is a stable key.
        <View key={i} className="mg__row mg__discount-line">
          <View className="mg__main">
            <Text>
              {line.name} ×{line.quantity}
            </Text>
            <Text className="mg__muted">
              原价 {formatFen(line.listPriceFen)}
              {line.unitPriceFen !== line.listPriceFen ? ` · 改价 ${formatFen(line.unitPriceFen)}` : ''}
            </Text>
          </View>
          <Text className="mg__amount">{formatFen(line.unitPriceFen * line.quantity)}</Text>
        </View>
      ))}
      <View className="mg__row">
        <Text>原价合计</Text>
        <Text className="mg__amount mg__discount-subtotal">{formatFen(discount.subtotalFen)}</Text>
      </View>
      {discount.tierDiscountFen > 0 ? (
        <View className="mg__row">
          <Text>会员折扣</Text>
          <Text className="mg__amount">−{formatFen(discount.tierDiscountFen)}</Text>
        </View>
      ) : null}
      <View className="mg__row">
        <Text>手工优惠</Text>
        <Text className="mg__amount mg__discount-asked">
          −{formatFen(discount.manualDiscountFen)}（{percentText(discount.discountBasisPoints)}）
        </Text>
      </View>
      <View className="mg__row">
        <Text>优惠后应收</Text>
        <Text className="mg__amount mg__discount-net">{formatFen(net)}</Text>
      </View>
      <Text className="mg__muted">美容师可直接给予的优惠上限为原价的 {percentText(discount.limitBasisPoints)}</Text>
      {discount.billId ? (
        <Text className="mg__muted mg__discount-used">已按此折扣开单</Text>
      ) : (
        <Text className="mg__muted mg__discount-expiry">当日有效：须在 {validThrough(discount.expiresAt)} 前开单</Text>
      )}
    </View>
  );
}

/** A package-card transfer: which card, from whom to whom, how many sessions move and how many stay. */
export function TransferSubject({ transfer }: { transfer: Transfer }) {
  return (
    <View className="mg__card mg__transfer">
      <Text className="mg__title">{transfer.card.name}</Text>
      <View className="mg__row">
        <Text>转出顾客</Text>
        <Text className="mg__transfer-from">{transfer.from.name ?? '未留名顾客'}</Text>
      </View>
      <View className="mg__row">
        <Text>转入顾客</Text>
        <Text className="mg__transfer-to">{transfer.to.name ?? '未留名顾客'}</Text>
      </View>
      <View className="mg__row">
        <Text>转让次数</Text>
        <Text className="mg__amount mg__transfer-sessions">{formatCount(transfer.sessions)} 次</Text>
      </View>
      <View className="mg__row">
        <Text>原卡保留</Text>
        <Text className="mg__amount mg__transfer-kept">
          {formatCount(transfer.sessionsLeft - transfer.sessions)} 次
        </Text>
      </View>
      {transfer.card.expiresOn ? (
        <Text className="mg__muted">有效期至 {formatDate(transfer.card.expiresOn)}（转入后不变）</Text>
      ) : null}
      {transfer.transferId ? <Text className="mg__muted mg__transfer-done">已转入对方账户</Text> : null}
    </View>
  );
}
