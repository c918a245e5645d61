import { Input, Text, View } from '@tarojs/components';
import { ActionButton, CodeEntry, EmptyState, ErrorState, Loading, useKeysetList } from '@lumi/mini';
import type { CustomerSummary } from '@lumi/shared';
import { type ReactNode, useEffect, useRef, useState } from 'react';
import { resolveMemberCode, searchCustomerPage } from './services/customers.ts';

/**
 * Finding a customer, as the till (开单) and the front desk (会员卡) do it: scan or type her member code, or search by
 * phone, name or member number and page through the matches with 加载更多. The page says what a tap on her does
 * (`onPick`, with `action` the word on the row). Drawn inside a subpackage's card page, so it takes that page's block
 * for its class names (`ck`, `fd`: see styles/_card-page.scss); `${block}__customer-search` and `${block}__customer`
 * are what the end-to-end tests find.
 */
export function CustomerSearch({
  block,
  action,
  onPick,
  noMatchText = '没有找到顾客',
  beforeList,
}: {
  block: 'ck' | 'fd';
  action: string;
  onPick: (customerId: string) => unknown;
  /** The empty list after a search; the front desk adds that she can be registered. */
  noMatchText?: string;
  /** Shown between the search field and the list (the till's approved discounts). */
  beforeList?: ReactNode;
}) {
  const c = (element: string) => `${block}__${element}`;
  const [text, setText] = useState('');
  // Searched on confirm, not per keystroke: each search is a request over the salon's mobile network.
  const [query, setQuery] = useState('');
  const list = useKeysetList<CustomerSummary, string>((cursor) => searchCustomerPage(query, cursor));
  // The list reads `query` through its loader; a new query starts it again from the first page.
  const firstQuery = useRef(true);
  const { reload } = list;
  useEffect(() => {
    if (firstQuery.current) firstQuery.current = false;
    else reload();
  }, [query, reload]);

  async function scanned(code: string) {
    const customer = await resolveMemberCode(code);
    await onPick(customer.id);
  }

  return (
    <>
      <View className={c('card')}>
        <Text className={c('title')}>扫会员码</Text>
        <CodeEntry onCode={scanned} scanLabel="扫会员码" placeholder="输入或粘贴会员码" />
      </View>
      <View className={c('card')}>
        <Input
          className={`${c('input')} ${c('customer-search')}`}
          confirmType="search"
          placeholder="手机号、姓名或会员号，按搜索"
          value={text}
          onInput={(event) => setText(event.detail.value)}
          onConfirm={() => setQuery(text.trim())}
        />
      </View>
      {beforeList}
      {list.loading ? (
        <Loading />
      ) : list.error ? (
        <ErrorState message={list.error.message} onRetry={list.reload} />
      ) : list.items.length === 0 ? (
        <EmptyState text={query ? noMatchText : '还没有顾客'} />
      ) : (
        <View className={c('card')}>
          {list.items.map((customer) => (
            <View key={customer.id} className={`${c('row')} ${c('customer')}`} onClick={() => void onPick(customer.id)}>
              <View className={c('main')}>
                <Text>{customer.name ?? '未填写姓名'}</Text>
                <Text className={c('muted')}>
                  {customer.phone ?? '无手机号'} · 会员号 {customer.memberNo}
                </Text>
              </View>
              <Text className={c('link')}>{action} ›</Text>
            </View>
          ))}
          {list.hasMore ? (
            <ActionButton className={c('more')} size="mini" disabled={list.loadingMore} onClick={list.loadMore}>
              {list.loadingMore ? '加载中…' : '加载更多'}
            </ActionButton>
          ) : null}
        </View>
      )}
    </>
  );
}
