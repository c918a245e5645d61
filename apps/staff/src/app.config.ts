// The first page is the entry. Feature areas go into subPackages so the main package — what WeChat downloads
// before showing anything — stays small.
export default defineAppConfig({
  pages: ['pages/home/index', 'pages/login/index'],
  subPackages: [
    {
      // 收银: find the customer, open the bill, settle it; bills of the day, void and refund; the printable 小票.
      root: 'checkout',
      pages: [
        'customers/index',
        'new-bill/index',
        'settle/index',
        'bill/index',
        'refund/index',
        'bills/index',
        'receipt/index',
      ],
    },
    {
      // 前台: find or register a customer, her card, top-ups, package cards, credit; 我的业绩 and 交班/日结.
      root: 'front-desk',
      pages: [
        'customers/index',
        'register/index',
        'customer/index',
        'top-up/index',
        'sell-card/index',
        'card-transfer/index',
        'credit/index',
        'performance/index',
        'day-close/index',
      ],
    },
    {
      // The manager's phone: 审批, 逾期, 客群, 唤醒活动, 报表 (with the F2 chart library, which only this package carries).
      root: 'manager',
      pages: [
        'inbox/index',
        'credit-request/index',
        'approval/index',
        'dispute/index',
        'overdue/index',
        'segments/index',
        'segment/index',
        'campaigns/index',
        'campaign-new/index',
        'campaign/index',
        'audit/index',
        'settings/index',
        'reports/index',
      ],
    },
    {
      // 商城: orders to hand over (核销) or ship, after-sale decisions (managers), stock.
      root: 'shop',
      pages: ['orders/index', 'after-sales/index', 'stock/index', 'item/index', 'categories/index'],
    },
  ],
  // The home page's two buttons lead into checkout: fetch it while the beautician reads the home page.
  preloadRule: {
    'pages/home/index': { network: 'all', packages: ['checkout', 'front-desk'] },
  },
  // H5 only: no slide between pages. Taro's router (4.2) hides the page left behind on a timer after the slide; going
  // back within that time showed the page and then the timer hid it again (the same fix as the customer app).
  ...(process.env.TARO_ENV === 'h5' ? { animation: false } : {}),
  window: {
    backgroundTextStyle: 'light',
    navigationBarBackgroundColor: '#ffffff',
    navigationBarTitleText: 'Lumi 员工端',
    navigationBarTextStyle: 'black',
  },
});
