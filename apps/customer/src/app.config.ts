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
  ],
  // The home page shows the buttons into the wallet subpackage, so fetch it while the customer reads the balance.
  preloadRule: {
    'pages/home/index': { network: 'all', packages: ['wallet'] },
  },
  window: {
    backgroundTextStyle: 'light',
    navigationBarBackgroundColor: '#ffffff',
    navigationBarTitleText: '会员中心',
    navigationBarTextStyle: 'black',
  },
});
