export default definePageConfig({
  navigationBarTitleText: '议事',
  enablePullDownRefresh: true,
  backgroundTextStyle: 'dark',
});
