import type { Boundary, GridLevel, MembershipRelation, StaffRole } from '@linli/shared';

type Polygon = Extract<Boundary, { type: 'Polygon' }>;

/**
 * The demo community as data: a street of 青溪区 with one community (桂花社区), two grids of two
 * micro-grids each, two buildings a micro-grid. Boundaries are rectangles (GCJ-02) that tile the
 * community exactly, so every point inside it falls in one micro-grid (or on a shared edge).
 */
export interface DemoNode {
  code: string;
  name: string;
  level: GridLevel;
  parentCode: string | null;
  /** [west, south, east, north] in degrees */
  box: [number, number, number, number] | null;
}

const WEST = 120.148;
const MID_LNG = 120.151;
const EAST = 120.154;
const SOUTH = 30.278;
const MID_LAT = 30.28;
const NORTH = 30.282;

export const DEMO_NODES: DemoNode[] = [
  { code: '330199', name: '青溪区', level: 'district', parentCode: null, box: [120.1, 30.25, 120.2, 30.31] },
  { code: '330199001', name: '锦华街道', level: 'street', parentCode: '330199', box: [120.14, 30.27, 120.16, 30.29] },
  { code: '330199001001', name: '桂花社区', level: 'community', parentCode: '330199001', box: [WEST, SOUTH, EAST, NORTH] },
  { code: '330199001001-G01', name: '桂花社区第一网格', level: 'grid', parentCode: '330199001001', box: [WEST, SOUTH, MID_LNG, NORTH] },
  { code: '330199001001-G02', name: '桂花社区第二网格', level: 'grid', parentCode: '330199001001', box: [MID_LNG, SOUTH, EAST, NORTH] },
  { code: '330199001001-G01-M01', name: '桂香苑微网格', level: 'microgrid', parentCode: '330199001001-G01', box: [WEST, SOUTH, MID_LNG, MID_LAT] },
  { code: '330199001001-G01-M02', name: '桂馨苑微网格', level: 'microgrid', parentCode: '330199001001-G01', box: [WEST, MID_LAT, MID_LNG, NORTH] },
  { code: '330199001001-G02-M01', name: '丹桂苑微网格', level: 'microgrid', parentCode: '330199001001-G02', box: [MID_LNG, SOUTH, EAST, MID_LAT] },
  { code: '330199001001-G02-M02', name: '金桂苑微网格', level: 'microgrid', parentCode: '330199001001-G02', box: [MID_LNG, MID_LAT, EAST, NORTH] },
];

export interface DemoBuilding {
  code: string;
  name: string;
  microgridCode: string;
  location: { lat: number; lng: number };
}

/** 1号楼…8号楼, two in each micro-grid, placed inside it. */
export const DEMO_BUILDINGS: DemoBuilding[] = DEMO_NODES.filter((n) => n.level === 'microgrid').flatMap((microgrid, m) =>
  [0, 1].map((b) => {
    const [west, south, east, north] = microgrid.box!;
    const number = m * 2 + b + 1;
    return {
      code: `${microgrid.code}-B${String(number).padStart(2, '0')}`,
      name: `${number}号楼`,
      microgridCode: microgrid.code,
      location: { lat: round6(south + ((north - south) * (b + 1)) / 3), lng: round6((west + east) / 2) },
    };
  }),
);

/** Two units of six floors, two flats a floor: 1单元 101 … 2单元 602. */
export const DEMO_UNITS = ['1单元', '2单元'];
export const DEMO_ROOMS = [1, 2, 3, 4, 5, 6].flatMap((floor) => [1, 2].map((flat) => `${floor}0${flat}`));

export interface DemoUser {
  openid: string;
  phone: string;
  /** [building number, unit, room] */
  home: [number, string, string] | null;
  /** How they belong to that flat (verified, as the ledger lists them); owner unless said. */
  relation?: MembershipRelation;
  roles: { role: StaffRole; nodeCode: string }[];
}

export const DEMO_USERS: DemoUser[] = [
  { openid: 'demo-resident-1', phone: '13857110001', home: [1, '1单元', '101'], roles: [] },
  { openid: 'demo-resident-2', phone: '13857110002', home: [1, '1单元', '102'], roles: [] },
  { openid: 'demo-resident-3', phone: '13857110003', home: [1, '2单元', '201'], relation: 'family', roles: [] },
  { openid: 'demo-resident-4', phone: '13857110004', home: [2, '1单元', '301'], roles: [] },
  { openid: 'demo-resident-5', phone: '13857110005', home: [2, '1单元', '302'], roles: [] },
  { openid: 'demo-resident-6', phone: '13857110006', home: [2, '2单元', '401'], roles: [] },
  { openid: 'demo-volunteer-1', phone: '13857110007', home: [3, '1单元', '101'], roles: [{ role: 'volunteer', nodeCode: '330199001001' }] },
  { openid: 'demo-gridworker-1', phone: '13857111234', home: null, roles: [{ role: 'grid_worker', nodeCode: '330199001001-G01' }] },
  { openid: 'demo-gridworker-2', phone: '13857112468', home: null, roles: [{ role: 'grid_worker', nodeCode: '330199001001-G02' }] },
  { openid: 'demo-secretary-1', phone: '13857112345', home: null, roles: [{ role: 'secretary', nodeCode: '330199001001' }] },
  { openid: 'demo-department-1', phone: '13857113456', home: null, roles: [{ role: 'department', nodeCode: '330199001' }] },
  // 人民调解员: one of the community's 「老娘舅」调解工作室, one of the street's 调委会 (server/src/seed/demo-disputes.ts).
  { openid: 'demo-mediator-1', phone: '13857115678', home: null, roles: [{ role: 'mediator', nodeCode: '330199001001' }] },
  { openid: 'demo-mediator-2', phone: '13857116789', home: null, roles: [{ role: 'mediator', nodeCode: '330199001' }] },
  { openid: 'demo-admin', phone: '13857114567', home: null, roles: [{ role: 'admin', nodeCode: '330199' }] },
];

export function boxPolygon([west, south, east, north]: [number, number, number, number]): Polygon {
  return {
    type: 'Polygon',
    coordinates: [
      [
        [west, south],
        [east, south],
        [east, north],
        [west, north],
        [west, south],
      ],
    ],
  };
}

function round6(value: number): number {
  return Math.round(value * 1e6) / 1e6;
}

/** Departments serving the street; demo-department-1 works at the first. */
export const DEMO_DEPARTMENTS = [
  { code: 'DEPT-CG', name: '锦华街道城管执法中队', nodeCode: '330199001' },
  { code: 'DEPT-WATER', name: '青溪区供水服务中心', nodeCode: '330199' },
  { code: 'DEPT-POLICE', name: '锦华派出所', nodeCode: '330199001' },
  { code: 'DEPT-FIRE', name: '锦华消防救援站', nodeCode: '330199001' },
  { code: 'DEPT-HOUSING', name: '街道物业管理办公室', nodeCode: '330199001' },
];
export const DEMO_DEPARTMENT_MEMBERS: Record<string, string> = { 'demo-department-1': 'DEPT-CG' };

/** Report categories with the hours allowed to handle them and the usual department. */
export const DEMO_CATEGORIES = [
  { code: 'sanitation', name: '环境卫生', slaHours: 48, departmentCode: 'DEPT-CG' },
  { code: 'facilities', name: '公共设施', slaHours: 72, departmentCode: 'DEPT-CG' },
  { code: 'water', name: '供水排水', slaHours: 24, departmentCode: 'DEPT-WATER' },
  { code: 'noise', name: '噪音扰民', slaHours: 24, departmentCode: 'DEPT-POLICE' },
  { code: 'safety', name: '安全隐患', slaHours: 12, departmentCode: 'DEPT-FIRE' },
  { code: 'property', name: '物业服务', slaHours: 72, departmentCode: 'DEPT-HOUSING' },
  { code: 'parking', name: '停车管理', slaHours: 48, departmentCode: 'DEPT-CG' },
  { code: 'dispute', name: '邻里纠纷', slaHours: 72, departmentCode: null },
  { code: 'other', name: '其他', slaHours: 120, departmentCode: null },
];

/** 桂花社区's 常用语 (canned replies), by kind: what its staff write most. */
export const DEMO_CANNED_REPLIES = {
  resolve: ['已现场处理完毕，问题已解决，感谢您的反映。', '已联系物业安排维修，现已修复。', '已协调相关部门清理完毕，后续将加强巡查。'],
  reject: ['该问题不属于社区受理范围，建议拨打 12345 政务服务热线反映。', '经核实，该问题已在处理中，请关注原说事的进展。'],
  feedback: ['电话回访，居民表示满意。', '上门回访，问题已解决，居民满意。', '回访未接通，稍后再次联系。'],
} as const;

/** The points mall of 桂花社区 (cost in points). */
export const DEMO_REWARDS = [
  { name: '环保购物袋', cost: 20, stock: 50, description: '加厚无纺布，可折叠收纳' },
  { name: '洗衣液', cost: 50, stock: 30, description: '2kg 装，社区服务站领取' },
  { name: '抽纸（一提）', cost: 40, stock: 40, description: null },
  { name: '理发券', cost: 80, stock: 20, description: '社区便民理发点使用，限本人' },
  { name: '家电清洗服务', cost: 150, stock: 10, description: '空调或油烟机清洗一次，预约上门' },
  { name: '体检套餐', cost: 300, stock: 5, description: '社区卫生服务中心基础体检一次' },
];

/** Good deeds the secretary has recognised, so 我的积分 and the leaderboard are not empty. */
export const DEMO_POINT_AWARDS = [
  { openid: 'demo-resident-1', points: 30, note: '帮助独居老人搬运生活物资' },
  { openid: 'demo-resident-2', points: 15, note: '主动清理楼道堆放杂物' },
  { openid: 'demo-resident-3', points: 10, note: '垃圾分类示范户' },
  { openid: 'demo-resident-4', points: 20, note: '协助调解邻里停车纠纷' },
];

/** Volunteer hours carried over from the community's paper records when the time bank opened. */
export const DEMO_OPENING_HOURS = [
  { openid: 'demo-resident-1', hours: 6 },
  { openid: 'demo-volunteer-1', hours: 4 },
];

/**
 * Time-bank tasks posted by the secretary and paid by the community: one that took place 10 days ago
 * (demo-volunteer-1 took part and was confirmed), and two coming up for the volunteer screens.
 * Days are relative to the first seed.
 */
export const DEMO_TASKS = [
  { title: '社区环境清洁日', description: '清理绿化带垃圾、擦拭健身器材。', startInDays: -10, hours: 2, capacity: 3, building: 1, attended: ['demo-volunteer-1'] },
  { title: '陪伴独居老人聊天', description: '上门陪伴 1 号楼、3 号楼的独居老人，聊聊天、读读报。', startInDays: 3, hours: 2, capacity: 2, building: 3, attended: [] },
  { title: '楼道小广告清理', description: '清理 5–8 号楼楼道小广告，工具在社区服务站领取。', startInDays: 1, hours: 1.5, capacity: 4, building: 6, attended: [] },
];
