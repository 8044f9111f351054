export default definePageConfig({
  navigationBarTitleText: '住户台账',
});
