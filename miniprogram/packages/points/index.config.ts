export default definePageConfig({
  navigationBarTitleText: '文明积分',
  enablePullDownRefresh: true,
  backgroundTextStyle: 'dark',
});
