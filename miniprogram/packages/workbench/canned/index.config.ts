export default definePageConfig({
  navigationBarTitleText: '常用语',
});
