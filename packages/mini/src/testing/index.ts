// Test helpers only; never imported by app code.
export {
  fakeStorage,
  fakeTaro,
  resetFakeTaro,
  setCurrentPages,
  setFakeServer,
  showPagesAgain,
} from './fake-taro.ts';
export type { FakeRequest, FakeResponse, FakeServer } from './fake-taro.ts';
export { makeBill, makeDispute, makeEntry, makePaymentOrder, PAYMENT_PARAMS, SIM_PAY_URL } from './fixtures.ts';
export {
  makeCart,
  makeCartLine,
  makeShopCatalogue,
  makeShopItem,
  makeShopOrder,
  SHOP_STORE_ID,
} from './shop-fixtures.ts';
