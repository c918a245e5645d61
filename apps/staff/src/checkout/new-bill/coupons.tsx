import { Text, View } from '@tarojs/components';
import { couponSummary, useAsync } from '@lumi/mini';
import { getUsableCoupons } from '../../services/customers.ts';

/**
 * 优惠券: the coupons she holds now (a wake-up campaign's 回店礼 among them). One may go on the bill; the server
 * works out the discount when the bill opens and refuses one whose minimum spend the bill does not reach. Each reads
 * as it does in her own app (@lumi/mini's coupon wording), so what the beautician says matches what she sees.
 */
export function CouponPicker(props: {
  customerId: string;
  chosen: string | null;
  onChoose: (id: string | null) => void;
}) {
  const { data } = useAsync(() => getUsableCoupons(props.customerId), [props.customerId]);
  if (!data || data.length === 0) return null;
  return (
    <View className="ck__card ck__coupons">
      <Text className="ck__title">优惠券（可选一张）</Text>
      {data.map((c) => {
        const on = c.id === props.chosen;
        return (
          <View
            key={c.id}
            className={on ? 'ck__row ck__coupon ck__coupon--on' : 'ck__row ck__coupon'}
            onClick={() => props.onChoose(on ? null : c.id)}
          >
            <View className="ck__main">
              <Text className="ck__pick-name">{c.title}</Text>
              <Text className="ck__muted">{couponSummary(c)}</Text>
            </View>
            <Text className={on ? 'ck__chip ck__chip--on' : 'ck__chip'}>{on ? '已选' : '使用'}</Text>
          </View>
        );
      })}
    </View>
  );
}
