export default definePageConfig({
  navigationBarTitleText: '一楼一码',
});
