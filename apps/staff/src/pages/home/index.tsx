import { Button, Text, View } from '@tarojs/components';
import Taro from '@tarojs/taro';
import { logout, PageShell, useAsync } from '@lumi/mini';
import { isManagerRole, ROLE_LABELS } from '../../roles.ts';
import {
  BILLS_PAGE,
  CUSTOMERS_PAGE,
  DAY_CLOSE_PAGE,
  FRONT_DESK_PAGE,
  PERFORMANCE_PAGE,
  SHOP_AFTER_SALES_PAGE,
  SHOP_ORDERS_PAGE,
  SHOP_STOCK_PAGE,
} from '../../routes.ts';
import { getMyStaffProfile } from '../../services/profile.ts';
import { ManagerEntries } from './manager-entries.tsx';
import './index.scss';

export default function HomePage() {
  const { data: profile, error, loading, reload } = useAsync(getMyStaffProfile);

  return (
    <PageShell loading={loading} error={error} onRetry={reload} className="home">
      {profile ? (
        <View className="home__card">
          <Text className="home__tenant">{profile.tenantName}</Text>
          <View className="home__who">
            <Text className="home__name">{profile.name}</Text>
            <Text className="home__role">{ROLE_LABELS[profile.role]}</Text>
          </View>
          <View className="home__stores">
            {profile.stores.map((store) => (
              <Text key={store.id} className="home__store">
                {store.name}
              </Text>
            ))}
          </View>
        </View>
      ) : null}
      {profile ? (
        <View className="home__entries">
          <View
            className="home__entry home__entry--front-desk"
            onClick={() => void Taro.navigateTo({ url: FRONT_DESK_PAGE })}
          >
            <Text className="home__entry-title">前台</Text>
            <Text className="home__entry-note">扫码 · 找顾客 · 登记 · 充值 · 售卡 · 挂账</Text>
          </View>
          <View
            className="home__entry home__entry--checkout"
            onClick={() => void Taro.navigateTo({ url: CUSTOMERS_PAGE })}
          >
            <Text className="home__entry-title">收银</Text>
            <Text className="home__entry-note">找顾客 · 开单 · 结账</Text>
          </View>
          <View className="home__entry home__entry--bills" onClick={() => void Taro.navigateTo({ url: BILLS_PAGE })}>
            <Text className="home__entry-title">今日账单</Text>
            <Text className="home__entry-note">查看 · 撤销 · 退款</Text>
          </View>
          <View
            className="home__entry home__entry--performance"
            onClick={() => void Taro.navigateTo({ url: PERFORMANCE_PAGE })}
          >
            <Text className="home__entry-title">我的业绩</Text>
            <Text className="home__entry-note">今日 · 本月提成明细</Text>
          </View>
          <View
            className="home__entry home__entry--day-close"
            onClick={() => void Taro.navigateTo({ url: DAY_CLOSE_PAGE })}
          >
            <Text className="home__entry-title">交班/日结</Text>
            <Text className="home__entry-note">
              {isManagerRole(profile.role) ? '全店今日实收 · 按方式 · 按员工' : '我今日经手的收款'}
            </Text>
          </View>
          <View className="home__entry" onClick={() => void Taro.navigateTo({ url: SHOP_ORDERS_PAGE })}>
            <Text className="home__entry-title">商城订单</Text>
            <Text className="home__entry-note">核销取货 · 发货</Text>
          </View>
          {isManagerRole(profile.role) ? (
            <>
              <View className="home__entry" onClick={() => void Taro.navigateTo({ url: SHOP_AFTER_SALES_PAGE })}>
                <Text className="home__entry-title">售后审核</Text>
                <Text className="home__entry-note">商城退款申请</Text>
              </View>
              <View className="home__entry" onClick={() => void Taro.navigateTo({ url: SHOP_STOCK_PAGE })}>
                <Text className="home__entry-title">商城管理</Text>
                <Text className="home__entry-note">商品 · 库存 · 设置</Text>
              </View>
            </>
          ) : null}
        </View>
      ) : null}
      {profile && isManagerRole(profile.role) ? <ManagerEntries /> : null}
      <Button className="home__logout" onClick={() => void logout()}>
        退出登录
      </Button>
    </PageShell>
  );
}
