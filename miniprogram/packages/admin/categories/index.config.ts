export default definePageConfig({
  navigationBarTitleText: '类别与时限',
});
