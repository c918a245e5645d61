export default definePageConfig({
  navigationBarTitleText: '次卡详情',
});
