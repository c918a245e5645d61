export default definePageConfig({
  navigationBarTitleText: '今日账单',
});
