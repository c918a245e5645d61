import { Text, View } from '@tarojs/components';
import { formatFen, useAsync } from '@lumi/mini';
import { listCustomerVouchers } from '../../services/shop.ts';

/**
 * 服务券: the sessions she bought in the shop (商城服务券), each added to the bill as a line of its own — the service,
 * its performers and their commission — that charges nothing, since she paid when she bought it. The voucher is
 * used when the bill settles (the API refuses one used meanwhile) and comes back if the bill is refunded or voided.
 */
export function ShopVouchers(props: { customerId: string; picked: string[]; onToggle: (voucherId: string) => void }) {
  const { data } = useAsync(() => listCustomerVouchers(props.customerId), [props.customerId]);
  const usable = data?.filter((v) => v.status === 'issued') ?? [];
  if (usable.length === 0) return null;
  return (
    <View className="ck__card ck__shop-vouchers">
      <Text className="ck__title">商城服务券</Text>
      {usable.map((v) => {
        const on = props.picked.includes(v.id);
        return (
          <View key={v.id} className="ck__row ck__pick">
            <View className="ck__main">
              <Text className="ck__pick-name">{v.name}</Text>
              <Text className="ck__muted">{`已付 ${formatFen(v.valueFen)} · 订单 ${v.orderNumber}`}</Text>
            </View>
            <Text className={on ? 'ck__chip ck__chip--on' : 'ck__chip'} onClick={() => props.onToggle(v.id)}>
              {on ? '已加入' : '加入账单'}
            </Text>
          </View>
        );
      })}
      <Text className="ck__hint">服务券按顾客购买时的实付计提成，结账时核销。</Text>
    </View>
  );
}
