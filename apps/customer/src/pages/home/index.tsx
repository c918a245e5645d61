import { Button, Text, View } from '@tarojs/components';
import Taro from '@tarojs/taro';
import {
  awaitsCustomer,
  formatChineseDate,
  formatCount,
  formatFen,
  packageCardExpiry,
  PageShell,
  sessionsLeftText,
  useAsync,
  useRefreshOnReturn,
} from '@lumi/mini';
import type { Wallet } from '@lumi/shared';
import { openPage } from '../../navigation.ts';
import {
  BILLS_PAGE,
  cardDetailPage,
  CARDS_PAGE,
  CREDIT_PAGE,
  ENTRIES_PAGE,
  HOME_PAGE,
  MEMBER_CODE_PAGE,
  MESSAGES_PAGE,
  POINTS_PAGE,
  TOP_UP_PAGE,
} from '../../routes.ts';
import { getMyBills } from '../../services/bills.ts';
import type { PackageCard } from '../../services/wallet.ts';
import { loadHome } from './home-data.ts';
import { useTabPage } from '../../tab-bar/tab-state.ts';
import './index.scss';

async function countWaitingBills(): Promise<number> {
  const now = new Date();
  return (await getMyBills('awaiting_customer')).filter((bill) => awaitsCustomer(bill, now)).length;
}

export default function HomePage() {
  useTabPage(HOME_PAGE);
  const { data, error, loading, reload, refresh } = useAsync(loadHome);
  // Apart from the wallet: a failure to count bills must not hide the balance.
  const waitingBills = useAsync(countWaitingBills);
  // Back from 充值 or from confirming a bill, the balance and the count must be the new ones.
  useRefreshOnReturn(() => {
    refresh();
    waitingBills.refresh();
  });

  return (
    <PageShell loading={loading} error={error} onRetry={reload} className="home lumi-tab-page">
      {data ? (
        <>
          <View className="home__card">
            <Text className="home__tenant">{data.profile.tenantName}</Text>
            <Text className="home__greeting">您好，{data.profile.name ?? '新会员'}</Text>
            <Text className="home__since">入会时间：{formatChineseDate(data.profile.memberSince)}</Text>
          </View>
          <WalletCard wallet={data.wallet} />
          <Shortcuts />
          <BillsLink waiting={waitingBills.data ?? 0} />
          <CreditNotice credit={data.wallet.credit} />
          <PackageCards cards={data.wallet.packageCards} />
        </>
      ) : null}
    </PageShell>
  );
}

function WalletCard({ wallet }: { wallet: Wallet }) {
  return (
    <View className="wallet">
      <View className="wallet__head">
        <Text className="wallet__label">储值余额</Text>
        <ChainBadge verified={wallet.chainVerified} />
      </View>
      <Text className="wallet__total">{formatFen(wallet.totalFen)}</Text>
      <View className="wallet__parts">
        <View className="wallet__part wallet__part--principal">
          <Text className="wallet__part-label">本金</Text>
          <Text className="wallet__part-value">{formatFen(wallet.principalFen)}</Text>
        </View>
        <View className="wallet__part wallet__part--bonus">
          <Text className="wallet__part-label">赠送金</Text>
          <Text className="wallet__part-value">{formatFen(wallet.bonusFen)}</Text>
        </View>
        <View className="wallet__part wallet__part--points" onClick={() => void openPage(POINTS_PAGE)}>
          <Text className="wallet__part-label">积分</Text>
          <Text className="wallet__part-value">{formatCount(wallet.points)}</Text>
        </View>
      </View>
      <View className="wallet__actions">
        <Button
          className="wallet__action wallet__action--primary"
          type="primary"
          size="mini"
          onClick={() => void Taro.navigateTo({ url: TOP_UP_PAGE })}
        >
          充值
        </Button>
        <Button className="wallet__action" size="mini" onClick={() => void Taro.navigateTo({ url: ENTRIES_PAGE })}>
          明细
        </Button>
      </View>
    </View>
  );
}

/** What a customer opens most from the first screen; everything else is one tap away on 我的. */
const SHORTCUTS = [
  { label: '会员码', url: MEMBER_CODE_PAGE },
  { label: '积分', url: POINTS_PAGE },
  { label: '次卡', url: CARDS_PAGE },
  { label: '消息', url: MESSAGES_PAGE },
] as const;

function Shortcuts() {
  return (
    <View className="shortcuts">
      {SHORTCUTS.map((s) => (
        <View key={s.url} className="shortcuts__item" onClick={() => void openPage(s.url)}>
          <Text className="shortcuts__label">{s.label}</Text>
        </View>
      ))}
    </View>
  );
}

/** 我的账单, with how many bills wait for the customer's 确认 (the reason most customers open it). */
function BillsLink({ waiting }: { waiting: number }) {
  return (
    <View
      className={waiting > 0 ? 'bills-link bills-link--waiting' : 'bills-link'}
      onClick={() => void openPage(BILLS_PAGE)}
    >
      <Text className="bills-link__label">我的账单</Text>
      {waiting > 0 ? <Text className="bills-link__badge">{waiting} 笔待确认</Text> : null}
      <Text className="bills-link__arrow">›</Text>
    </View>
  );
}

/**
 * The API re-checks the customer's hash chains when it reads the wallet. Passing is worth a quiet badge; a
 * failure is shown too, because the customer's balances may not be what the ledger recorded.
 * null means this response did not check, which says nothing either way.
 */
function ChainBadge({ verified }: { verified: boolean | null }) {
  if (verified === null) return null;
  return verified ? (
    <Text className="wallet__badge wallet__badge--ok">✓ 账本校验通过</Text>
  ) : (
    <Text className="wallet__badge wallet__badge--bad">账本校验异常，请联系门店</Text>
  );
}

function CreditNotice({ credit }: { credit: Wallet['credit'] }) {
  if (credit.owedFen <= 0) return null;
  return (
    <View className="owed-notice" onClick={() => void openPage(CREDIT_PAGE)}>
      <Text className="owed-notice__label">挂账待还</Text>
      <Text className="owed-notice__owed">{formatFen(credit.owedFen)}</Text>
      {credit.limitFen !== null ? <Text className="owed-notice__limit">额度 {formatFen(credit.limitFen)}</Text> : null}
    </View>
  );
}

function PackageCards({ cards }: { cards: PackageCard[] }) {
  return (
    <View className="cards">
      <Text className="cards__title">我的次卡</Text>
      {cards.length === 0 ? (
        <Text className="cards__empty">暂无次卡</Text>
      ) : (
        cards.map((card) => (
          <View
            key={card.id}
            className={card.expired ? 'package-card package-card--expired' : 'package-card'}
            onClick={() => void openPage(cardDetailPage(card.id))}
          >
            <View className="package-card__main">
              <Text className="package-card__name">{card.name}</Text>
              <Text className="package-card__expiry">{packageCardExpiry(card)}</Text>
            </View>
            <Text className="package-card__sessions">{sessionsLeftText(card)}</Text>
          </View>
        ))
      )}
    </View>
  );
}
