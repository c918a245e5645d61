export default definePageConfig({
  navigationBarTitleText: '到店付款',
});
