import { Text, View } from '@tarojs/components';
import { formatFen, packageCardExpiry, sessionsLeftText } from '@lumi/mini';
import type { PackageCard } from '../services/wallet.ts';

/** One package card: sessions left of total, expiry, and what one session is worth. */
export function CardSummary({ card, onClick }: { card: PackageCard; onClick?: () => void }) {
  return (
    <View className={card.expired ? 'm-card card card--expired' : 'm-card card'} onClick={onClick}>
      <View className="m-row">
        <Text className="m-title">{card.name}</Text>
        <Text className="m-strong card__left">{sessionsLeftText(card)}</Text>
      </View>
      <View className="m-row">
        <Text className="m-meta">{packageCardExpiry(card)}</Text>
        <Text className="m-meta">每次价值 {formatFen(card.valuePerSessionFen)}</Text>
      </View>
    </View>
  );
}
