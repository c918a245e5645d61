export default definePageConfig({
  navigationBarTitleText: '会员等级',
});
