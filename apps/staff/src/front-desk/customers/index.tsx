import { Input, Text, View } from '@tarojs/components';
import Taro from '@tarojs/taro';
import { useEffect, useRef, useState } from 'react';
import { ActionButton, CodeEntry, EmptyState, ErrorState, Loading, useKeysetList } from '@lumi/mini';
import type { CustomerSummary } from '@lumi/shared';
import { CUSTOMER_CARD_PAGE, REGISTER_PAGE } from '../../routes.ts';
import { resolveMemberCode, searchCustomerPage } from '../../services/front-desk.ts';
import '../front-desk.scss';

const openCard = (id: string) => Taro.navigateTo({ url: `${CUSTOMER_CARD_PAGE}?id=${id}` });

/** 前台 start: scan the customer's member code, or search by phone, name or member number, or register her. */
export default function FrontDeskCustomersPage() {
  const [text, setText] = useState('');
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
    await openCard(customer.id);
  }

  return (
    <View className="lumi-page fd">
      <View className="fd__card">
        <Text className="fd__title">扫会员码</Text>
        <CodeEntry onCode={scanned} scanLabel="扫会员码" placeholder="输入或粘贴会员码" />
      </View>
      <View className="fd__card">
        <Input
          className="fd__input fd__search"
          confirmType="search"
          placeholder="手机号、姓名或会员号，按搜索"
          value={text}
          onInput={(event) => setText(event.detail.value)}
          onConfirm={() => setQuery(text.trim())}
        />
      </View>
      {list.loading ? (
        <Loading />
      ) : list.error ? (
        <ErrorState message={list.error.message} onRetry={list.reload} />
      ) : list.items.length === 0 ? (
        <EmptyState text={query ? '没有找到顾客，可登记为新顾客' : '还没有顾客'} />
      ) : (
        <View className="fd__card">
          {list.items.map((customer) => (
            <View key={customer.id} className="fd__row fd__customer" onClick={() => void openCard(customer.id)}>
              <View className="fd__main">
                <Text>{customer.name ?? '未填写姓名'}</Text>
                <Text className="fd__muted">
                  {customer.phone ?? '无手机号'} · 会员号 {customer.memberNo}
                </Text>
              </View>
              <Text className="fd__link">会员卡 ›</Text>
            </View>
          ))}
          {list.hasMore ? (
            <ActionButton className="fd__more" size="mini" disabled={list.loadingMore} onClick={list.loadMore}>
              {list.loadingMore ? '加载中…' : '加载更多'}
            </ActionButton>
          ) : null}
        </View>
      )}
      <View className="fd__submit">
        <ActionButton type="primary" onClick={() => void Taro.navigateTo({ url: REGISTER_PAGE })}>
          登记新顾客
        </ActionButton>
      </View>
    </View>
  );
}
