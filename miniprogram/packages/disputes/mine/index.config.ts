export default definePageConfig({
  navigationBarTitleText: '矛盾调解',
  enablePullDownRefresh: true,
  backgroundTextStyle: 'dark',
});
