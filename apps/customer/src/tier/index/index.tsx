import { Text, View } from '@tarojs/components';
import { discountText, formatDate, formatFen, multiplierText, nextTier, PageShell, useAsync } from '@lumi/mini';
import type { CustomerTier, TierProgram } from '@lumi/shared';
import { ME_PAGE } from '../../routes.ts';
import { getMyTier, getTierLadder } from '../../services/membership.ts';
import './index.scss';

async function loadTier(): Promise<{ tier: CustomerTier; ladder: TierProgram }> {
  const [tier, ladder] = await Promise.all([getMyTier(), getTierLadder()]);
  return { tier, ladder };
}

const BASIS_TEXT = { spend: '消费', top_up: '充值' } as const;

export default function TierPage() {
  const { data, error, loading, reload } = useAsync(loadTier);
  const next = data ? nextTier(data.ladder.levels, data.tier.qualifyingFen) : null;
  const basis = data ? BASIS_TEXT[data.ladder.basis] : '';

  return (
    <PageShell
      loading={loading}
      error={error}
      onRetry={reload}
      backTo={ME_PAGE}
      empty={data !== undefined && data.ladder.levels.length === 0}
      emptyText="门店暂未设置会员等级"
      className="tier m-page"
    >
      {data ? (
        <>
          <View className="m-hero">
            <Text className="m-hero__label">当前等级</Text>
            <Text className="m-hero__value tier__name">{data.tier.name ?? '普通会员'}</Text>
            <Text className="m-hero__note">
              {discountText(data.tier.discountBasisPoints)} · {multiplierText(data.tier.pointsMultiplierPercent)}
            </Text>
            {data.tier.since ? <Text className="m-hero__note">{formatDate(data.tier.since)} 起</Text> : null}
          </View>
          <View className="m-card">
            <Text className="m-title">升级进度</Text>
            <Text>
              近 {data.ladder.windowDays} 天累计{basis} {formatFen(data.tier.qualifyingFen)}
            </Text>
            {next ? (
              <Text className="tier__next">
                再{basis} {formatFen(next.missingFen)} 即可升级为「{next.name}」
              </Text>
            ) : (
              <Text className="tier__next">您已是最高等级</Text>
            )}
          </View>
          <View className="m-card">
            <Text className="m-title">等级权益</Text>
            {data.ladder.levels.map((level) => (
              <View
                key={level.id}
                className={level.id === data.tier.tierId ? 'm-row tier__level tier__level--mine' : 'm-row tier__level'}
              >
                <Text className="m-strong">{level.name}</Text>
                <Text className="m-meta">
                  {basis}满 {formatFen(level.thresholdFen)}
                </Text>
                <Text>
                  {discountText(level.discountBasisPoints)} · {multiplierText(level.pointsMultiplierPercent)}
                </Text>
              </View>
            ))}
          </View>
        </>
      ) : null}
    </PageShell>
  );
}
