import { Input, Text, View } from '@tarojs/components';

export interface CouponFields {
  title: string;
  amount: string;
  minSpend: string;
  days: string;
}

interface Props {
  name: string;
  onName(name: string): void;
  coupon: CouponFields;
  onCoupon(coupon: CouponFields): void;
  /** The coupon in the customer app's words, or what is wrong with it. */
  summary: string;
}

/** 活动名称 and the coupon every treated customer gets. */
export function OfferCard(p: Props) {
  const set = (patch: Partial<CouponFields>) => p.onCoupon({ ...p.coupon, ...patch });
  return (
    <View className="mg__card">
      <Text className="mg__title">活动名称</Text>
      <Input
        className="mg__input mg__campaign-name"
        maxlength={60}
        value={p.name}
        onInput={(e) => p.onName(e.detail.value)}
      />
      <Text className="mg__title">优惠券</Text>
      <Input
        className="mg__input mg__offer-title"
        maxlength={30}
        value={p.coupon.title}
        onInput={(e) => set({ title: e.detail.value })}
      />
      <Text className="mg__muted">减免金额（元）</Text>
      <Input
        className="mg__input mg__offer-amount"
        type="digit"
        value={p.coupon.amount}
        onInput={(e) => set({ amount: e.detail.value })}
      />
      <Text className="mg__muted">最低消费（元）</Text>
      <Input
        className="mg__input mg__offer-min"
        type="digit"
        value={p.coupon.minSpend}
        onInput={(e) => set({ minSpend: e.detail.value })}
      />
      <Text className="mg__muted">有效天数</Text>
      <Input
        className="mg__input mg__offer-days"
        type="number"
        value={p.coupon.days}
        onInput={(e) => set({ days: e.detail.value })}
      />
      <Text className="mg__muted mg__offer-summary">{p.summary}</Text>
    </View>
  );
}
