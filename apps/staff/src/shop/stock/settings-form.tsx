import { Button, Input, Text, View } from '@tarojs/components';
import { InlineError } from '@lumi/mini';
import type { ShopSettings } from '@lumi/shared';
import { useState } from 'react';

const days = (text: string) =>
  /^\d{1,2}$/.test(text) && Number(text) >= 1 && Number(text) <= 60 ? Number(text) : null;

/** 商城设置: whether after-sale requests wait for a manager, and the days before delivered orders move on. */
export function ShopSettingsForm({
  settings,
  busy,
  onSave,
}: {
  settings: ShopSettings;
  busy: boolean;
  onSave: (settings: ShopSettings) => void;
}) {
  const [approval, setApproval] = useState(settings.afterSaleApproval);
  const [receive, setReceive] = useState(String(settings.autoReceiveDays));
  const [complete, setComplete] = useState(String(settings.autoCompleteDays));
  const receiveDays = days(receive);
  const completeDays = days(complete);
  const changed =
    approval !== settings.afterSaleApproval ||
    receiveDays !== settings.autoReceiveDays ||
    completeDays !== settings.autoCompleteDays;
  return (
    <View className="staff-shop__section">
      <Text className="staff-shop__title">商城设置</Text>
      <Text>售后退款</Text>
      <View className="staff-shop__chips">
        <Text className="staff-shop__chip" onClick={() => setApproval(true)}>
          {approval ? '✓ 店长审核后退款' : '店长审核后退款'}
        </Text>
        <Text className="staff-shop__chip" onClick={() => setApproval(false)}>
          {approval ? '申请即退款' : '✓ 申请即退款'}
        </Text>
      </View>
      <Text className="staff-shop__note">
        {approval ? '顾客申请售后后，由店长审核再退款' : '顾客申请售后即自动退款'}
      </Text>
      <View className="staff-shop__row">
        <Text>发货后自动确认收货（天）</Text>
        <Input
          className="staff-shop__input"
          type="number"
          value={receive}
          onInput={(e) => setReceive(e.detail.value)}
        />
      </View>
      <View className="staff-shop__row">
        <Text>收货后自动完成（天）</Text>
        <Input
          className="staff-shop__input"
          type="number"
          value={complete}
          onInput={(e) => setComplete(e.detail.value)}
        />
      </View>
      <InlineError
        className="staff-shop__error"
        message={receiveDays === null || completeDays === null ? '天数为 1–60' : null}
      />
      <Button
        size="mini"
        disabled={busy || !changed || receiveDays === null || completeDays === null}
        onClick={() =>
          receiveDays !== null &&
          completeDays !== null &&
          onSave({ afterSaleApproval: approval, autoReceiveDays: receiveDays, autoCompleteDays: completeDays })
        }
      >
        保存设置
      </Button>
    </View>
  );
}
