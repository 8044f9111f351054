export default definePageConfig({
  navigationBarTitleText: '矛盾纠纷调处统计',
  enablePullDownRefresh: true,
  backgroundTextStyle: 'dark',
});
