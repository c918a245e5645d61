import { Text, View } from '@tarojs/components';
import Taro from '@tarojs/taro';
import { ActionButton, ApiError, InlineError, useAsync } from '@lumi/mini';
import { useState } from 'react';
import { listCustomerVouchers, redeemVoucher } from '../../services/shop.ts';

/**
 * 服务券: the sessions she bought in the shop (商城服务券), used here instead of charging for the service. A voucher
 * was paid when she bought it, so using one moves no money; each is used once (the API refuses a second time).
 */
export function ShopVouchers({ customerId, storeId }: { customerId: string; storeId: string }) {
  const { data, refresh } = useAsync(() => listCustomerVouchers(customerId), [customerId]);
  const [busy, setBusy] = useState<string | null>(null);
  const [error, setError] = useState<string | null>(null);
  const usable = data?.filter((v) => v.status === 'issued') ?? [];
  if (usable.length === 0) return null;

  async function redeem(voucherId: string, name: string) {
    if (busy) return;
    setBusy(voucherId);
    setError(null);
    try {
      await redeemVoucher(voucherId, storeId);
      void Taro.showToast({ title: `已核销 ${name}`, icon: 'success', duration: 1500 });
    } catch (cause) {
      setError(cause instanceof ApiError ? cause.message : '核销失败，请重试');
    } finally {
      setBusy(null);
      refresh();
    }
  }

  return (
    <View className="ck__card">
      <Text className="ck__title">商城服务券</Text>
      {usable.map((v) => (
        <View key={v.id} className="ck__row">
          <Text>{`${v.name}（订单 ${v.orderNumber}）`}</Text>
          <ActionButton size="mini" disabled={busy !== null} onClick={() => void redeem(v.id, v.name)}>
            {busy === v.id ? '核销中…' : '核销'}
          </ActionButton>
        </View>
      ))}
      <InlineError className="ck__error" message={error} />
    </View>
  );
}
