export default definePageConfig({
  navigationBarTitleText: '选择顾客',
});
