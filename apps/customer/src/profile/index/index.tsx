import { Text, View } from '@tarojs/components';
import Taro from '@tarojs/taro';
import { useState } from 'react';
import { ActionButton, ApiError, formatChineseDate, formatDate, InlineError, PageShell, useAsync } from '@lumi/mini';
import type { ConsentKind, MyConsents, MyProfile } from '@lumi/shared';
import { ME_PAGE } from '../../routes.ts';
import { getMyConsents, getMyProfile, withdrawConsent } from '../../services/profile.ts';
import { askForNotices, getSubscribeTemplates, type SubscribeTemplate } from '../../services/subscriptions.ts';
import { PhoneBinding } from '../phone-binding.tsx';
import './index.scss';

async function loadProfile(): Promise<{ profile: MyProfile; consents: MyConsents; campaign: SubscribeTemplate[] }> {
  // The campaign template is loaded with the page: WeChat shows the subscribe dialog only straight from a tap.
  const [profile, consents, templates] = await Promise.all([
    getMyProfile(),
    getMyConsents(),
    getSubscribeTemplates().catch(() => []),
  ]);
  return { profile, consents, campaign: templates.filter((t) => t.purpose === 'campaign') };
}

const GENDER = { female: '女', male: '男', unknown: '未填写' } as Record<string, string>;

export default function ProfilePage() {
  const { data, error, loading, reload, refresh } = useAsync(loadProfile);
  const [busy, setBusy] = useState<ConsentKind | null>(null);
  const [actionError, setActionError] = useState<string | null>(null);

  async function withdraw(consent: ConsentKind, what: string) {
    if (busy) return;
    const { confirm } = await Taro.showModal({ title: `撤回${what}`, content: '撤回后门店将不再向您发送此类消息。' });
    if (!confirm) return;
    setBusy(consent);
    setActionError(null);
    try {
      await withdrawConsent(consent);
      void Taro.showToast({ title: '已撤回', icon: 'success', duration: 2000 });
      refresh();
    } catch (cause) {
      setActionError(cause instanceof ApiError ? cause.message : '撤回失败，请稍后重试');
    } finally {
      setBusy(null);
    }
  }

  async function subscribeToCampaigns(campaign: SubscribeTemplate[]) {
    await askForNotices(campaign, ['campaign']);
    refresh();
  }

  const subscriptions = data?.consents.subscriptions.reduce((sum, s) => sum + s.available, 0) ?? 0;
  const campaignIds = new Set(data?.campaign.map((t) => t.templateId));
  const campaignLeft =
    data?.consents.subscriptions
      .filter((s) => campaignIds.has(s.templateId))
      .reduce((sum, s) => sum + s.available, 0) ?? 0;
  return (
    <PageShell loading={loading} error={error} onRetry={reload} backTo={ME_PAGE} className="profile m-page">
      {data ? (
        <>
          <View className="m-card">
            <Text className="m-title">基本信息</Text>
            <Field label="姓名" value={data.profile.name ?? '未填写'} />
            <Field label="手机号" value={data.profile.phone ?? '未绑定'} />
            {data.profile.phone ? null : <PhoneBinding onBound={() => reload()} />}
            <Field label="性别" value={GENDER[data.profile.gender] ?? '未填写'} />
            <Field label="生日" value={data.profile.birthday ? formatDate(data.profile.birthday) : '未填写'} />
            <Field label="入会时间" value={formatChineseDate(data.profile.memberSince)} />
            <Text className="m-meta">如需修改资料，请联系门店</Text>
          </View>
          <View className="m-card">
            <Text className="m-title">授权管理</Text>
            <Consent
              label="营销消息"
              hint="活动与优惠通知"
              granted={data.consents.marketing}
              busy={busy === 'marketing'}
              onWithdraw={() => void withdraw('marketing', '营销消息授权')}
            />
            <Consent
              label="短信通知"
              hint="微信消息发不出时改发短信"
              granted={data.consents.sms}
              busy={busy === 'sms'}
              onWithdraw={() => void withdraw('sms', '短信通知授权')}
            />
            <Consent
              label="订阅消息"
              hint={subscriptions > 0 ? `还可接收 ${subscriptions} 条账单、还款等微信通知` : '下次操作时可重新订阅'}
              granted={subscriptions > 0}
              busy={busy === 'subscriptions'}
              onWithdraw={() => void withdraw('subscriptions', '订阅消息')}
            />
            {data.consents.marketing && data.campaign.length > 0 ? (
              <View className="m-row profile__consent">
                <View className="profile__consent-text">
                  <Text>活动通知</Text>
                  <Text className="m-meta">
                    {campaignLeft > 0
                      ? `已订阅，还可接收 ${campaignLeft} 条回店礼、会员活动的微信通知`
                      : '订阅后，门店的回店礼、会员活动用微信通知您（每订阅一次收一条）'}
                  </Text>
                </View>
                <ActionButton
                  className="profile__subscribe"
                  size="mini"
                  onClick={() => void subscribeToCampaigns(data.campaign)}
                >
                  订阅一次
                </ActionButton>
              </View>
            ) : null}
            <InlineError className="profile__error" message={actionError} />
          </View>
        </>
      ) : null}
    </PageShell>
  );
}

function Field({ label, value }: { label: string; value: string }) {
  return (
    <View className="m-row">
      <Text className="m-meta">{label}</Text>
      <Text>{value}</Text>
    </View>
  );
}

function Consent(props: { label: string; hint: string; granted: boolean; busy: boolean; onWithdraw: () => void }) {
  return (
    <View className="m-row profile__consent">
      <View className="profile__consent-text">
        <Text>{props.label}</Text>
        <Text className="m-meta">{props.hint}</Text>
      </View>
      {props.granted ? (
        <ActionButton className="profile__withdraw" size="mini" disabled={props.busy} onClick={props.onWithdraw}>
          撤回
        </ActionButton>
      ) : (
        <Text className="m-meta">未授权</Text>
      )}
    </View>
  );
}
