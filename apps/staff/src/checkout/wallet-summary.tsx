import { Text, View } from '@tarojs/components';
import { formatCount, formatDate, formatFen } from '@lumi/mini';
import type { Wallet } from '@lumi/shared';

/** What the beautician checks before ringing up: what the customer can pay with, and what they owe. */
export function WalletSummary({ wallet }: { wallet: Wallet }) {
  const { credit } = wallet;
  return (
    <View className="ck__card ck__wallet">
      <Text className="ck__title">会员资产</Text>
      <View className="ck__row">
        <Text>储值余额</Text>
        <Text className="ck__amount ck__wallet-total">{formatFen(wallet.totalFen)}</Text>
      </View>
      <View className="ck__row">
        <Text className="ck__muted">本金 {formatFen(wallet.principalFen)}</Text>
        <Text className="ck__muted">赠送金 {formatFen(wallet.bonusFen)}</Text>
      </View>
      <View className="ck__row">
        <Text>积分</Text>
        <Text className="ck__amount">{formatCount(wallet.points)}</Text>
      </View>
      <View className="ck__row">
        <Text>赊账</Text>
        <Text className="ck__amount">
          {credit.limitFen === null ? '未开通' : `欠 ${formatFen(credit.owedFen)} / 额度 ${formatFen(credit.limitFen)}`}
        </Text>
      </View>
      {wallet.packageCards.map((card) => (
        <View key={card.id} className="ck__row">
          <View className="ck__main">
            <Text>{card.name}</Text>
            <Text className="ck__muted">
              {card.expired ? `已过期（${formatDate(card.expiresOn)}）` : `有效期至 ${formatDate(card.expiresOn)}`}
            </Text>
          </View>
          <Text className="ck__amount">
            剩余 {card.sessionsLeft}/{card.sessionsTotal} 次
          </Text>
        </View>
      ))}
    </View>
  );
}
