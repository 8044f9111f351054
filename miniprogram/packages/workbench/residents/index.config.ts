export default definePageConfig({
  navigationBarTitleText: '住户核验',
  enablePullDownRefresh: true,
  backgroundTextStyle: 'dark',
});
