/**
 * The dev-login users of the demo community (DESIGN.md). The seed creates them and the H5 login
 * picker lists them, so both read this one list.
 */
export interface DemoLogin {
  openid: string;
  nickname: string;
  /** What the picker says about this user. */
  hint: string;
}

export const DEMO_LOGINS: readonly DemoLogin[] = [
  { openid: 'demo-resident-1', nickname: '张晓梅', hint: '居民 · 1号楼' },
  { openid: 'demo-resident-2', nickname: '李国强', hint: '居民 · 1号楼' },
  { openid: 'demo-resident-3', nickname: '王秀英', hint: '居民 · 1号楼' },
  { openid: 'demo-resident-4', nickname: '陈志明', hint: '居民 · 2号楼' },
  { openid: 'demo-resident-5', nickname: '刘芳', hint: '居民 · 2号楼' },
  { openid: 'demo-resident-6', nickname: '赵建华', hint: '居民 · 2号楼' },
  { openid: 'demo-volunteer-1', nickname: '孙丽娟', hint: '志愿者' },
  { openid: 'demo-gridworker-1', nickname: '周海峰', hint: '网格员 · 第一网格' },
  { openid: 'demo-gridworker-2', nickname: '林婉清', hint: '网格员 · 第二网格' },
  { openid: 'demo-secretary-1', nickname: '吴慧敏', hint: '社区书记 · 桂花社区' },
  { openid: 'demo-department-1', nickname: '郑立新', hint: '职能部门 · 城管' },
  { openid: 'demo-mediator-1', nickname: '沈国华', hint: '人民调解员 · 老娘舅调解工作室' },
  { openid: 'demo-mediator-2', nickname: '何雅琴', hint: '人民调解员 · 街道调委会' },
  { openid: 'demo-admin', nickname: '管理员', hint: '街道管理员' },
];
