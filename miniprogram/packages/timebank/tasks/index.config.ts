export default definePageConfig({
  navigationBarTitleText: '志愿任务',
  enablePullDownRefresh: true,
  backgroundTextStyle: 'dark',
});
