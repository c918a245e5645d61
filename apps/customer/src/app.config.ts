// The first page is the entry. Pages that only some customers open, or open later, go into subPackages so the
// main package — what WeChat downloads before showing anything — stays small.
export default defineAppConfig({
  pages: ['pages/home/index', 'pages/login/index'],
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
  ],
  // The home page shows the buttons into both subpackages, so fetch them while the customer reads the balance.
  preloadRule: {
    'pages/home/index': { network: 'all', packages: ['wallet', 'bills'] },
  },
  window: {
    backgroundTextStyle: 'light',
    navigationBarBackgroundColor: '#ffffff',
    navigationBarTitleText: '会员中心',
    navigationBarTextStyle: 'black',
  },
});
