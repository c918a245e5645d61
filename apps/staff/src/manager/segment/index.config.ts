export default definePageConfig({ navigationBarTitleText: '客群顾客' });
