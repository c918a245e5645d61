// The first page is the entry. Feature areas (checkout, customers, reports) will go into subPackages so
// the main package stays small.
export default defineAppConfig({
  pages: ['pages/home/index', 'pages/login/index'],
  window: {
    backgroundTextStyle: 'light',
    navigationBarBackgroundColor: '#ffffff',
    navigationBarTitleText: 'Lumi 员工端',
    navigationBarTextStyle: 'black',
  },
});
