import { Text, View } from '@tarojs/components';
import { ActionButton, formatCount, formatFen, navigateBackOr } from '@lumi/mini';
import type { Wallet } from '@lumi/shared';
import { FRONT_DESK_PAGE } from '../../routes.ts';

type WalletFigures = Pick<Wallet, 'principalFen' | 'bonusFen' | 'totalFen' | 'points'>;

/** 充值成功: what was paid, the bonus the offer gave, and the new balance — the same for every tender. */
export function TopUpDone({
  paidFen,
  bonusFen,
  wallet,
  tender,
}: {
  paidFen: number;
  bonusFen: number;
  wallet: WalletFigures;
  tender: string;
}) {
  return (
    <View className="lumi-page fd">
      <View className="fd__card fd__receipt">
        <Text className="fd__title fd__ok">充值成功</Text>
        <View className="fd__row">
          <Text>实收（{tender}）</Text>
          <Text className="fd__amount fd__receipt-paid">{formatFen(paidFen)}</Text>
        </View>
        <View className="fd__row">
          <Text>赠送</Text>
          <Text className="fd__amount fd__receipt-bonus">{formatFen(bonusFen)}</Text>
        </View>
        <View className="fd__row">
          <Text>储值余额</Text>
          <Text className="fd__big fd__receipt-total">{formatFen(wallet.totalFen)}</Text>
        </View>
        <View className="fd__row">
          <Text className="fd__muted">本金 {formatFen(wallet.principalFen)}</Text>
          <Text className="fd__muted">赠送金 {formatFen(wallet.bonusFen)}</Text>
        </View>
        <View className="fd__row">
          <Text>积分</Text>
          <Text className="fd__amount">{formatCount(wallet.points)}</Text>
        </View>
      </View>
      <View className="fd__submit">
        <ActionButton type="primary" onClick={() => void navigateBackOr(FRONT_DESK_PAGE)}>
          返回会员卡
        </ActionButton>
      </View>
    </View>
  );
}
