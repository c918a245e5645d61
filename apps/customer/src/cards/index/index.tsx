import { PageShell, useAsync, useRefreshOnReturn } from '@lumi/mini';
import Taro from '@tarojs/taro';
import { cardDetailPage, ME_PAGE } from '../../routes.ts';
import { getMyWallet } from '../../services/wallet.ts';
import { CardSummary } from '../card-view.tsx';
import '../cards.scss';

export default function CardsPage() {
  const { data, error, loading, reload, refresh } = useAsync(getMyWallet);
  useRefreshOnReturn(refresh);
  const cards = data?.packageCards ?? [];
  // Cards she can still use first; expired and used-up ones after, as a record.
  const sorted = [...cards].sort((a, b) => usable(b) - usable(a));

  return (
    <PageShell
      loading={loading}
      error={error}
      onRetry={reload}
      backTo={ME_PAGE}
      empty={cards.length === 0}
      emptyText="暂无次卡"
      className="cards m-page"
    >
      {sorted.map((card) => (
        <CardSummary key={card.id} card={card} onClick={() => void Taro.navigateTo({ url: cardDetailPage(card.id) })} />
      ))}
    </PageShell>
  );
}

const usable = (card: { expired: boolean; sessionsLeft: number }) => (!card.expired && card.sessionsLeft > 0 ? 1 : 0);
