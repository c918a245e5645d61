export default definePageConfig({ navigationBarTitleText: '唤醒活动' });
