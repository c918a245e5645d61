import { Button, Text, View } from '@tarojs/components';
import { useRouter } from '@tarojs/taro';
import { ApiError, formatDateTime, PageShell, useAsync, useKeysetList, userMessage } from '@lumi/mini';
import type { Entry } from '@lumi/shared';
import { CARDS_PAGE } from '../../routes.ts';
import { getMyBucketEntries } from '../../services/points.ts';
import { getMyWallet } from '../../services/wallet.ts';
import { CardSummary } from '../card-view.tsx';
import '../cards.scss';

async function loadCard(cardId: string) {
  const card = (await getMyWallet()).packageCards.find((c) => c.id === cardId);
  if (!card) throw new ApiError('NOT_FOUND', userMessage('NOT_FOUND'), 404);
  return card;
}

export default function CardDetailPage() {
  const cardId = useRouter().params.id ?? '';
  const card = useAsync(() => loadCard(cardId), [cardId]);
  // Sessions entries of all her cards, this card's kept: the API filters by bucket, a card is few entries.
  const uses = useKeysetList((cursor?: number) => getMyBucketEntries('sessions', cursor));
  const mine = uses.items.filter((e) => e.packageCardId === cardId && e.amount < 0);

  return (
    <PageShell
      loading={card.loading}
      error={card.error}
      onRetry={card.reload}
      backTo={CARDS_PAGE}
      className="card-detail m-page"
    >
      {card.data ? <CardSummary card={card.data} /> : null}
      <View className="m-card">
        <Text className="m-title">使用记录</Text>
        {uses.loading ? <Text className="m-empty">加载中…</Text> : null}
        {uses.error ? <Text className="m-empty">{uses.error.message}</Text> : null}
        {!uses.loading && !uses.error && mine.length === 0 ? <Text className="m-empty">还没有使用记录</Text> : null}
        {mine.map((entry) => (
          <SessionUse key={entry.id} entry={entry} />
        ))}
        {uses.hasMore ? (
          <Button className="m-button" onClick={uses.loadMore}>
            {uses.loadingMore ? '加载中…' : '加载更早的记录'}
          </Button>
        ) : null}
      </View>
    </PageShell>
  );
}

/** One visit: when, where, who did it, and how many sessions it took. */
function SessionUse({ entry }: { entry: Entry }) {
  return (
    <View className="m-row card-use">
      <View className="card-use__what">
        <Text>{formatDateTime(entry.at)}</Text>
        <Text className="m-meta">{[entry.store?.name, entry.staff?.name].filter(Boolean).join(' · ') || '—'}</Text>
      </View>
      <Text className="m-strong">{entry.amount} 次</Text>
    </View>
  );
}
