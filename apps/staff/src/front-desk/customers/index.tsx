import { View } from '@tarojs/components';
import Taro from '@tarojs/taro';
import { ActionButton } from '@lumi/mini';
import { CustomerSearch } from '../../customer-search.tsx';
import { CUSTOMER_CARD_PAGE, REGISTER_PAGE } from '../../routes.ts';
import '../front-desk.scss';

const openCard = (id: string) => Taro.navigateTo({ url: `${CUSTOMER_CARD_PAGE}?id=${id}` });

/** 前台 start: scan the customer's member code, or search by phone, name or member number, or register her. */
export default function FrontDeskCustomersPage() {
  return (
    <View className="lumi-page fd">
      <CustomerSearch block="fd" action="会员卡" onPick={openCard} noMatchText="没有找到顾客，可登记为新顾客" />
      <View className="fd__submit">
        <ActionButton type="primary" onClick={() => void Taro.navigateTo({ url: REGISTER_PAGE })}>
          登记新顾客
        </ActionButton>
      </View>
    </View>
  );
}
