// The first page is the entry. Feature areas go into subPackages so the main package — what WeChat downloads
// before showing anything — stays small.
export default defineAppConfig({
  pages: ['pages/home/index', 'pages/login/index'],
  subPackages: [
    {
      // 收银: find the customer, open the bill, settle it; bills of the day, void and refund.
      root: 'checkout',
      pages: ['customers/index', 'new-bill/index', 'settle/index', 'bill/index', 'refund/index', 'bills/index'],
    },
    {
      // 商城: orders to hand over (核销) or ship, after-sale decisions (managers), stock.
      root: 'shop',
      pages: ['orders/index', 'after-sales/index', 'stock/index'],
    },
  ],
  // The home page's two buttons lead into checkout: fetch it while the beautician reads the home page.
  preloadRule: {
    'pages/home/index': { network: 'all', packages: ['checkout'] },
  },
  window: {
    backgroundTextStyle: 'light',
    navigationBarBackgroundColor: '#ffffff',
    navigationBarTitleText: 'Lumi 员工端',
    navigationBarTextStyle: 'black',
  },
});
