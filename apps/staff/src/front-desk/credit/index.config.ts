export default definePageConfig({
  navigationBarTitleText: '挂账',
});
