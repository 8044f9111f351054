export default definePageConfig({
  navigationBarTitleText: '邀请家人/租户',
  // The invitee opens the accept page straight from the shared card.
  enableShareAppMessage: true,
});
