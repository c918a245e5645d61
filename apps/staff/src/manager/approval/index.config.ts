export default definePageConfig({ navigationBarTitleText: '店长审批' });
