export default definePageConfig({
  navigationBarTitleText: '议事审核',
  enablePullDownRefresh: true,
  backgroundTextStyle: 'dark',
});
