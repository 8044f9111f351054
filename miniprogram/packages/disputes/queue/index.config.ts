export default definePageConfig({
  navigationBarTitleText: '矛盾纠纷调处',
  enablePullDownRefresh: true,
  backgroundTextStyle: 'dark',
});
