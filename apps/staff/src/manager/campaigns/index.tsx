import { Text, View } from '@tarojs/components';
import Taro from '@tarojs/taro';
import { ActionButton, formatDateTime, PageShell, useAsync, useRefreshOnReturn } from '@lumi/mini';
import { CAMPAIGN_NEW_PAGE, CAMPAIGN_PAGE } from '../../routes.ts';
import { listCampaigns } from '../../services/segmentation.ts';
import { audienceText, CAMPAIGN_STATUS_LABELS } from '../campaign-format.ts';
import { ManagerOnly } from '../manager-only.tsx';
import '../manager.scss';

function Campaigns() {
  const { data, error, loading, reload, refresh } = useAsync(listCampaigns);
  useRefreshOnReturn(refresh);
  return (
    <PageShell loading={loading && !data} error={error} onRetry={reload} className="mg">
      <ActionButton
        className="mg__new-campaign"
        type="primary"
        onClick={() => void Taro.navigateTo({ url: CAMPAIGN_NEW_PAGE })}
      >
        新建唤醒活动
      </ActionButton>
      {data ? (
        <View className="mg__card">
          {data.items.length === 0 ? <Text className="mg__muted">还没有活动</Text> : null}
          {data.items.map((c) => (
            <View
              key={c.id}
              className="mg__row mg__campaign"
              onClick={() => void Taro.navigateTo({ url: `${CAMPAIGN_PAGE}?id=${c.id}` })}
            >
              <View className="mg__main">
                <Text>{c.name}</Text>
                <Text className="mg__muted">
                  {audienceText(c.audience)} · 对照组 {c.holdoutBasisPoints / 100}% ·{' '}
                  {c.startedAt || !c.scheduledAt
                    ? formatDateTime(c.startedAt ?? c.createdAt)
                    : `定时 ${formatDateTime(c.scheduledAt)}`}
                </Text>
              </View>
              <Text className="mg__amount">{CAMPAIGN_STATUS_LABELS[c.status]}</Text>
            </View>
          ))}
        </View>
      ) : null}
    </PageShell>
  );
}

export default function CampaignsPage() {
  return (
    <ManagerOnly>
      <Campaigns />
    </ManagerOnly>
  );
}
