export default definePageConfig({
  navigationBarTitleText: '挂账与分期',
});
