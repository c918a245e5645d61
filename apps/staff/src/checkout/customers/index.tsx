import { View } from '@tarojs/components';
import Taro from '@tarojs/taro';
import { CustomerSearch } from '../../customer-search.tsx';
import { NEW_BILL_PAGE } from '../../routes.ts';
import { ApprovedDiscounts } from '../approved-discounts.tsx';
import '../checkout.scss';

const openBill = (customerId: string) => Taro.navigateTo({ url: `${NEW_BILL_PAGE}?customerId=${customerId}` });

/** 收银 start: find the customer (member code or search) and open a bill for her. */
export default function CustomersPage() {
  return (
    // Not PageShell: the search field must stay on screen while results load or fail.
    <View className="lumi-page ck">
      <CustomerSearch block="ck" action="开单" onPick={openBill} beforeList={<ApprovedDiscounts />} />
    </View>
  );
}
