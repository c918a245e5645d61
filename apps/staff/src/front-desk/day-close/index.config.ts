export default definePageConfig({
  navigationBarTitleText: '交班/日结',
});
