export default definePageConfig({
  navigationBarTitleText: '结账',
});
