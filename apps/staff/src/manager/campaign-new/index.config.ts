export default definePageConfig({ navigationBarTitleText: '新建唤醒活动' });
