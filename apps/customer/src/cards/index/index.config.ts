export default definePageConfig({
  navigationBarTitleText: '我的次卡',
});
