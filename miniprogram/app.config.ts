export default defineAppConfig({
  // Resident pages live in the main package; staff and rarely used pages go in sub-packages.
  pages: [
    'pages/index/index',
    'pages/report/index',
    'pages/consult/index',
    'pages/mine/index',
    'pages/login/index',
    'pages/bind/index',
    // Where an unknown address lands (app.tsx).
    'pages/notfound/index',
  ],
  subPackages: [
    {
      root: 'packages/workbench',
      name: 'workbench',
      pages: ['index', 'file/index', 'consult/index', 'points/index', 'rewards/index', 'timebank/index', 'moderation/index', 'residents/index', 'canned/index'],
    },
    {
      // An owner's invite (code and QR) and accepting one: opened from the bind page or by scanning.
      root: 'packages/household',
      name: 'household',
      pages: ['invite/index', 'accept/index'],
    },
    {
      // 社区公告: residents read them; staff post them and see 已读 N / M 户.
      root: 'packages/notices',
      name: 'notices',
      pages: ['index', 'detail/index', 'new/index'],
    },
    {
      root: 'packages/reports',
      name: 'reports',
      pages: ['detail/index', 'mine/index', 'inbox/index'],
    },
    {
      root: 'packages/consult',
      name: 'consult',
      pages: ['new/index', 'detail/index'],
    },
    {
      root: 'packages/points',
      name: 'points',
      pages: ['index', 'mall/index', 'rank/index'],
    },
    {
      root: 'packages/timebank',
      name: 'timebank',
      pages: ['index', 'tasks/index', 'task/index', 'new/index', 'gift/index'],
    },
    {
      // 矛盾纠纷调处: a resident's applications and cases; the mediators' and secretaries' queue.
      root: 'packages/disputes',
      name: 'disputes',
      pages: ['mine/index', 'apply/index', 'detail/index', 'queue/index'],
    },
    {
      // 数据看板, 一楼一码 and 住户台账 for secretaries and admins.
      root: 'packages/dashboard',
      name: 'dashboard',
      pages: ['index', 'codes/index', 'disputes/index', 'ledger/index'],
    },
    {
      // 网格、人员、类别与时限、开放接口密钥: admins only.
      root: 'packages/admin',
      name: 'admin',
      pages: ['grids/index', 'staff/index', 'categories/index', 'keys/index'],
    },
    {
      // 一图: the grid map (staff), a spot to point at (说事 without a position), the import preview (admins).
      // It alone carries ECharts.
      root: 'packages/map',
      name: 'map',
      pages: ['index', 'pick/index', 'preview/index'],
    },
  ],
  // 说事 picks its place on WeChat's map or from the phone's position.
  requiredPrivateInfos: ['chooseLocation', 'getLocation'],
  permission: {
    'scope.userLocation': { desc: '用于定位说事地点、按距离排列志愿任务和志愿服务签到' },
  },
  window: {
    // Explicit so that H5 draws its title bar with a back button too (the mini-program's default anyway).
    navigationStyle: 'default',
    navigationBarTitleText: '邻里',
    navigationBarBackgroundColor: '#c23b17',
    navigationBarTextStyle: 'white',
    backgroundColor: '#f5f6f7',
    backgroundTextStyle: 'light',
  },
  tabBar: {
    color: '#666666',
    selectedColor: '#c23b17',
    backgroundColor: '#ffffff',
    borderStyle: 'black',
    list: [
      {
        pagePath: 'pages/index/index',
        text: '首页',
        iconPath: 'assets/tab/home.png',
        selectedIconPath: 'assets/tab/home-active.png',
      },
      {
        pagePath: 'pages/report/index',
        text: '说事',
        iconPath: 'assets/tab/report.png',
        selectedIconPath: 'assets/tab/report-active.png',
      },
      {
        pagePath: 'pages/consult/index',
        text: '议事',
        iconPath: 'assets/tab/consult.png',
        selectedIconPath: 'assets/tab/consult-active.png',
      },
      {
        pagePath: 'pages/mine/index',
        text: '我的',
        iconPath: 'assets/tab/mine.png',
        selectedIconPath: 'assets/tab/mine-active.png',
      },
    ],
  },
});
