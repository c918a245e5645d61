import { Input, Text, View } from '@tarojs/components';
import Taro from '@tarojs/taro';
import { useState } from 'react';
import { EmptyState, ErrorState, Loading, useAsync } from '@lumi/mini';
import { NEW_BILL_PAGE } from '../../routes.ts';
import { searchCustomers } from '../../services/customers.ts';
import { ApprovedDiscounts } from '../approved-discounts.tsx';
import '../checkout.scss';

export default function CustomersPage() {
  const [text, setText] = useState('');
  // Searched on confirm, not per keystroke: each search is a request over the salon's mobile network.
  const [query, setQuery] = useState('');
  const { data, error, loading, reload } = useAsync(() => searchCustomers(query), [query]);

  return (
    // Not PageShell: the search field must stay on screen while results load or fail.
    <View className="lumi-page ck">
      <View className="ck__card">
        <Input
          className="ck__input ck__customer-search"
          confirmType="search"
          placeholder="输入顾客姓名或手机号，按搜索"
          value={text}
          onInput={(event) => setText(event.detail.value)}
          onConfirm={() => setQuery(text.trim())}
        />
      </View>
      <ApprovedDiscounts />
      {loading ? (
        <Loading />
      ) : error ? (
        <ErrorState message={error.message} onRetry={reload} />
      ) : data?.items.length === 0 ? (
        <EmptyState text="没有找到顾客" />
      ) : (
        <View className="ck__card">
          {data?.items.map((customer) => (
            <View
              key={customer.id}
              className="ck__row ck__customer"
              onClick={() => void Taro.navigateTo({ url: `${NEW_BILL_PAGE}?customerId=${customer.id}` })}
            >
              <View className="ck__main">
                <Text>{customer.name ?? '未填写姓名'}</Text>
                <Text className="ck__muted">{customer.phone ?? '无手机号'}</Text>
              </View>
              <Text className="ck__link">开单 ›</Text>
            </View>
          ))}
        </View>
      )}
    </View>
  );
}
