export default definePageConfig({ navigationBarTitleText: '逾期' });
