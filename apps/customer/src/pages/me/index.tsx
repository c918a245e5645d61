import { Button, Text, View } from '@tarojs/components';
import { logout, PageShell, useAsync, useRefreshOnReturn } from '@lumi/mini';
import { applySalon } from '../../brand.ts';
import { openPage } from '../../navigation.ts';
import {
  CARDS_PAGE,
  COUPONS_PAGE,
  CREDIT_PAGE,
  ME_PAGE,
  MEMBER_CODE_PAGE,
  MESSAGES_PAGE,
  POINTS_PAGE,
  PROFILE_PAGE,
  STATEMENT_PAGE,
  TIER_PAGE,
} from '../../routes.ts';
import { getMyMessages } from '../../services/messages.ts';
import { getMyProfile } from '../../services/profile.ts';
import { useTabPage } from '../../tab-bar/tab-state.ts';
import './index.scss';

/** Every member screen, one tap from this tab. */
const LINKS = [
  { label: '会员码', hint: '到店出示，扫码识别', url: MEMBER_CODE_PAGE },
  { label: '积分', hint: '余额、到期与明细', url: POINTS_PAGE },
  { label: '次卡', hint: '剩余次数与使用记录', url: CARDS_PAGE },
  { label: '挂账/分期', hint: '待还金额与还款', url: CREDIT_PAGE },
  { label: '优惠券', hint: '可用、已用、已过期', url: COUPONS_PAGE },
  { label: '会员等级', hint: '权益与升级条件', url: TIER_PAGE },
  { label: '消息', hint: '账单通知与活动', url: MESSAGES_PAGE },
  { label: '我的资料', hint: '手机号、生日、授权管理', url: PROFILE_PAGE },
  { label: '对账单', hint: '按日期导出', url: STATEMENT_PAGE },
] as const;

export default function MePage() {
  useTabPage(ME_PAGE);
  const profile = useAsync(async () => {
    const loaded = await getMyProfile();
    applySalon(loaded);
    return loaded;
  });
  // The unread count is apart: a failure there must not hide the page.
  const messages = useAsync(getMyMessages);
  useRefreshOnReturn(() => {
    profile.refresh();
    messages.refresh();
  });
  const unread = messages.data?.unread ?? 0;

  return (
    <PageShell
      loading={profile.loading}
      error={profile.error}
      onRetry={profile.reload}
      className="me m-page lumi-tab-page"
    >
      {profile.data ? (
        <View className="m-hero">
          <Text className="m-hero__label">{profile.data.tenantName}</Text>
          <Text className="me__name">{profile.data.name ?? '新会员'}</Text>
          <Text className="m-hero__note">{profile.data.phone ? maskPhone(profile.data.phone) : '未绑定手机号'}</Text>
        </View>
      ) : null}
      <View className="m-card">
        {LINKS.map((link) => (
          <View key={link.url} className="m-row m-row--link me__link" onClick={() => void openPage(link.url)}>
            <Text className="me__label">{link.label}</Text>
            <Text className="m-meta me__hint">{link.hint}</Text>
            {link.url === MESSAGES_PAGE && unread > 0 ? (
              <Text className="m-badge m-badge--warn">{unread} 条未读</Text>
            ) : null}
            <Text className="me__arrow">›</Text>
          </View>
        ))}
      </View>
      <Button className="m-button" onClick={() => void logout()}>
        退出登录
      </Button>
    </PageShell>
  );
}

/** 139****0001: enough for her to recognise it on a shared screen. */
export function maskPhone(phone: string): string {
  return phone.length === 11 ? `${phone.slice(0, 3)}****${phone.slice(7)}` : phone;
}
