export default definePageConfig({ navigationBarTitleText: '额度申请' });
