// The first page is the entry. Pages that only some customers open, or open later, go into subPackages so the
// main package — what WeChat downloads before showing anything — stays small.
export default defineAppConfig({
  pages: ['pages/home/index', 'pages/login/index', 'pages/shop/index'],
  subPackages: [
    {
      // 明细 and 充值, reached from the wallet on the home page.
      root: 'wallet',
      pages: ['entries/index', 'top-up/index'],
    },
    {
      // 我的账单 and one bill (确认扣款, 微信支付, 有疑问); also opened straight from a subscribe message.
      root: 'bills',
      pages: ['index/index', 'detail/index'],
    },
    {
      // 商城: categories, items, cart, order confirmation and payment, orders and after-sale. Its home is the
      // 商城 tab, which WeChat keeps in the main package (pages/shop).
      root: 'shop',
      pages: ['category/index', 'item/index', 'cart/index', 'checkout/index', 'orders/index', 'order/index'],
    },
  ],
  // The home page shows the buttons into both subpackages, so fetch them while the customer reads the balance.
  preloadRule: {
    'pages/home/index': { network: 'all', packages: ['wallet', 'bills'] },
    'pages/shop/index': { network: 'all', packages: ['shop'] },
  },
  // The tab bar is h-customer's (首页 · 账单 · 我的); the shop adds its 商城 tab here for the merger to fold in.
  tabBar: {
    color: '#666666',
    selectedColor: '#c2185b',
    backgroundColor: '#ffffff',
    list: [
      { pagePath: 'pages/home/index', text: '首页' },
      { pagePath: 'pages/shop/index', text: '商城' },
    ],
  },
  // Delivery addresses come from WeChat's address book; the platform requires the API to be declared.
  requiredPrivateInfos: ['chooseAddress'],
  window: {
    backgroundTextStyle: 'light',
    navigationBarBackgroundColor: '#ffffff',
    navigationBarTitleText: '会员中心',
    navigationBarTextStyle: 'black',
  },
});
