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

/** The coupon's fields: label (none for its title), input block and keyboard. */
const FIELDS: { key: keyof CouponFields; label: string | null; block: string; type: 'text' | 'digit' | 'number' }[] = [
  { key: 'title', label: null, block: 'mg__offer-title', type: 'text' },
  { key: 'amount', label: '减免金额（元）', block: 'mg__offer-amount', type: 'digit' },
  { key: 'minSpend', label: '最低消费（元）', block: 'mg__offer-min', type: 'digit' },
  { key: 'days', label: '有效天数', block: 'mg__offer-days', type: 'number' },
];

/** 活动名称 and the coupon every treated customer gets. */
export function OfferCard(p: Props) {
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
      {FIELDS.map((f) => (
        <View key={f.key}>
          {f.label ? <Text className="mg__muted">{f.label}</Text> : null}
          <Input
            className={`mg__input ${f.block}`}
            type={f.type}
            maxlength={30}
            value={p.coupon[f.key]}
            onInput={(e) => p.onCoupon({ ...p.coupon, [f.key]: e.detail.value })}
          />
        </View>
      ))}
      <Text className="mg__muted mg__offer-summary">{p.summary}</Text>
    </View>
  );
}
