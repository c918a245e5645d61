import { Text, View } from '@tarojs/components';
import { formatCount, formatFen, packageCardExpiry, sessionsLeftText } from '@lumi/mini';
import type { Wallet } from '@lumi/shared';
import type { ReactNode } from 'react';

type PackageCard = Wallet['packageCards'][number];

/**
 * 会员资产, as the till (checkout) and the front desk show it before she pays or tops up: stored value with 本金 and
 * 赠送金, points, her credit when the till asks, and her package cards. Drawn inside a subpackage's card page, so it
 * takes that page's block for its class names (`ck`, `fd`: see styles/_card-page.scss).
 */
export function MemberAssets({
  wallet,
  block,
  showCredit = false,
  cardAction,
}: {
  wallet: Wallet;
  block: 'ck' | 'fd';
  showCredit?: boolean;
  /** What staff can do with a card beside its sessions (the front desk's 转卡). */
  cardAction?: (card: PackageCard) => ReactNode;
}) {
  const c = (element: string) => `${block}__${element}`;
  const { credit } = wallet;
  return (
    <View className={`${c('card')} ${c('assets')}`}>
      <Text className={c('title')}>会员资产</Text>
      <View className={c('row')}>
        <Text>储值余额</Text>
        <Text className={`${c('amount')} ${c('balance-total')}`}>{formatFen(wallet.totalFen)}</Text>
      </View>
      <View className={c('row')}>
        <Text className={`${c('muted')} ${c('principal')}`}>本金 {formatFen(wallet.principalFen)}</Text>
        <Text className={`${c('muted')} ${c('bonus')}`}>赠送金 {formatFen(wallet.bonusFen)}</Text>
      </View>
      <View className={c('row')}>
        <Text>积分</Text>
        <Text className={`${c('amount')} ${c('points')}`}>{formatCount(wallet.points)}</Text>
      </View>
      {showCredit ? (
        <View className={c('row')}>
          <Text>挂账</Text>
          <Text className={c('amount')}>
            {credit.limitFen === null
              ? '未开通'
              : `欠 ${formatFen(credit.owedFen)} / 额度 ${formatFen(credit.limitFen)}`}
          </Text>
        </View>
      ) : null}
      {wallet.packageCards.length === 0 ? <Text className={c('muted')}>没有次卡</Text> : null}
      {wallet.packageCards.map((card) => (
        <View key={card.id} className={`${c('row')} ${c('package-card')}`}>
          <View className={c('main')}>
            <Text>{card.name}</Text>
            <Text className={c('muted')}>{packageCardExpiry(card)}</Text>
          </View>
          <View className={c('side')}>
            <Text className={c('amount')}>{sessionsLeftText(card)}</Text>
            {cardAction?.(card)}
          </View>
        </View>
      ))}
    </View>
  );
}
