export default definePageConfig({
  navigationBarTitleText: '找顾客',
});
