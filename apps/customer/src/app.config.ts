// The first page is the entry. Pages that only some customers reach (shop, member area) will go into
// subPackages so the main package stays small.
export default defineAppConfig({
  pages: ['pages/home/index', 'pages/login/index'],
  window: {
    backgroundTextStyle: 'light',
    navigationBarBackgroundColor: '#ffffff',
    navigationBarTitleText: '会员中心',
    navigationBarTextStyle: 'black',
  },
});
