import { Text, View } from '@tarojs/components';
import { useState } from 'react';
import {
  type CouponState,
  couponConditionText,
  couponState,
  couponValueText,
  formatDate,
  PageShell,
  useAsync,
} from '@lumi/mini';
import type { Coupon } from '@lumi/shared';
import { ME_PAGE } from '../../routes.ts';
import { getMyCoupons } from '../../services/membership.ts';
import './index.scss';

type Tab = 'usable' | 'used' | 'expired';

const TABS: { key: Tab; label: string }[] = [
  { key: 'usable', label: '可使用' },
  { key: 'used', label: '已使用' },
  { key: 'expired', label: '已过期' },
];

/** Which tab a coupon belongs to; a voided one sits with the expired, and one not yet valid with the usable. */
const TAB_OF: Record<CouponState, Tab> = {
  usable: 'usable',
  not_yet: 'usable',
  used: 'used',
  expired: 'expired',
  void: 'expired',
};

const EMPTY: Record<Tab, string> = { usable: '暂无可用优惠券', used: '还没有用过优惠券', expired: '没有过期的优惠券' };

export default function CouponsPage() {
  const { data, error, loading, reload } = useAsync(getMyCoupons);
  const [tab, setTab] = useState<Tab>('usable');
  const now = new Date();
  const shown = (data ?? []).filter((c) => TAB_OF[couponState(c, now)] === tab);

  return (
    <PageShell loading={loading} error={error} onRetry={reload} backTo={ME_PAGE} className="coupons m-page">
      <View className="m-tabs">
        {TABS.map((t) => (
          <Text
            key={t.key}
            className={t.key === tab ? 'm-tabs__tab m-tabs__tab--active' : 'm-tabs__tab'}
            onClick={() => setTab(t.key)}
          >
            {t.label}（{(data ?? []).filter((c) => TAB_OF[couponState(c, now)] === t.key).length}）
          </Text>
        ))}
      </View>
      {shown.length === 0 ? <Text className="m-empty">{EMPTY[tab]}</Text> : null}
      {shown.map((coupon) => (
        <CouponCard key={coupon.id} coupon={coupon} state={couponState(coupon, now)} />
      ))}
    </PageShell>
  );
}

const STATE_TEXT: Record<CouponState, string> = {
  usable: '可使用',
  not_yet: '未到使用时间',
  used: '已使用',
  expired: '已过期',
  void: '已撤销',
};

function CouponCard({ coupon, state }: { coupon: Coupon; state: CouponState }) {
  return (
    <View className={state === 'usable' ? 'm-card coupon' : 'm-card coupon coupon--inactive'}>
      <View className="m-row">
        <Text className="coupon__value">{couponValueText(coupon)}</Text>
        <Text className={state === 'usable' ? 'm-badge m-badge--brand' : 'm-badge'}>{STATE_TEXT[state]}</Text>
      </View>
      <Text className="m-title coupon__title">{coupon.title}</Text>
      <Text className="m-meta coupon__condition">{couponConditionText(coupon)}</Text>
      {coupon.redeemedAt ? <Text className="m-meta">使用于 {formatDate(coupon.redeemedAt)}</Text> : null}
      <Text className="m-meta">到店结账或商城下单时可用</Text>
    </View>
  );
}
