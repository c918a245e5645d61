export default definePageConfig({ navigationBarTitleText: '转卡' });
