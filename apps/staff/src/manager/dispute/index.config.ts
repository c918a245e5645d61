export default definePageConfig({ navigationBarTitleText: '顾客异议' });
