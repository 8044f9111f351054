export default definePageConfig({
  navigationBarTitleText: '赠予家人',
});
