export default definePageConfig({
  navigationBarTitleText: '售次卡',
});
