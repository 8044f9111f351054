export default definePageConfig({
  navigationBarTitleText: '文明积分榜',
  enablePullDownRefresh: true,
  backgroundTextStyle: 'dark',
});
