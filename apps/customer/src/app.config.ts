// The tab pages and the login page are the main package: what WeChat downloads before showing anything. Every
// other page lives in a feature subpackage, loaded on first use, so the main package stays small.
export default defineAppConfig({
  // The tab pages (首页 · 商城 · 账单 · 我的) are in the main package, as WeChat requires.
  pages: ['pages/home/index', 'pages/shop/index', 'pages/bills/index', 'pages/me/index', 'pages/login/index'],
  subPackages: [
    // 明细 and 充值, reached from the wallet on the home page; 到店付款, from the code the staff phone shows.
    { root: 'wallet', pages: ['entries/index', 'top-up/index', 'pay/index'] },
    // One bill (确认扣款, 微信支付, 有疑问); also opened straight from a subscribe message.
    { root: 'bills', pages: ['detail/index'] },
    // 积分: balance, what expires when, earn and redeem history.
    { root: 'points', pages: ['index/index'] },
    // 次卡: the cards, and the sessions used on one.
    { root: 'cards', pages: ['index/index', 'detail/index'] },
    // 挂账/分期: what she owes, when, and repaying through WeChat Pay.
    { root: 'credit', pages: ['index/index'] },
    { root: 'coupons', pages: ['index/index'] },
    { root: 'tier', pages: ['index/index'] },
    // 消息: notifications and campaign offers; a campaign's offer and survey.
    { root: 'messages', pages: ['index/index', 'campaign/index'] },
    // 会员码 for the till to scan.
    { root: 'member', pages: ['code/index'] },
    // 我的资料 (consents, withdrawal) and the statement for a date range.
    { root: 'profile', pages: ['index/index', 'statement/index'] },
    // 商城: categories, items, cart, order confirmation and payment, orders and after-sale (its home is the tab).
    {
      root: 'shop',
      pages: ['category/index', 'item/index', 'cart/index', 'checkout/index', 'orders/index', 'order/index'],
    },
  ],
  preloadRule: {
    'pages/home/index': { network: 'all', packages: ['wallet', 'points', 'cards', 'credit'] },
    'pages/shop/index': { network: 'all', packages: ['shop'] },
    'pages/bills/index': { network: 'all', packages: ['bills'] },
    'pages/me/index': { network: 'all', packages: ['member', 'profile', 'coupons', 'tier', 'messages'] },
  },
  // Drawn by the app (src/custom-tab-bar, tab-bar/): it takes the salon's colour and shows 商城 only while the shop
  // has an item on sale. The list still tells WeChat (and Taro's H5 router) which pages are tabs, for switchTab.
  tabBar: {
    custom: true,
    color: '#8c8c8c',
    selectedColor: '#a97c50',
    backgroundColor: '#ffffff',
    borderStyle: 'black',
    list: [
      { pagePath: 'pages/home/index', text: '首页' },
      { pagePath: 'pages/shop/index', text: '商城' },
      { pagePath: 'pages/bills/index', text: '账单' },
      { pagePath: 'pages/me/index', text: '我的' },
    ],
  },
  // Delivery addresses come from WeChat's address book; the platform requires the API to be declared.
  requiredPrivateInfos: ['chooseAddress'],
  // H5 only: no slide between pages. Taro's router (4.2) hides the page left behind on a timer after the slide; going
  // back within that time showed 我的 and then the timer hid it again, a blank tab until another tab was tapped.
  ...(process.env.TARO_ENV === 'h5' ? { animation: false } : {}),
  window: {
    backgroundTextStyle: 'light',
    navigationBarBackgroundColor: '#ffffff',
    navigationBarTitleText: '会员中心',
    navigationBarTextStyle: 'black',
  },
});
