export default definePageConfig({
  navigationBarTitleText: '登记新顾客',
});
