/**
 * The county's ledger for `npm run seed:scale`: every household gets a floor area and a verified owner
 * (the county's app residents own the flats they live in; elsewhere a person without WeChat, as a
 * ledger import makes them), 40 % a family member, 8 % a tenant; realistic names, unique phones
 * (encrypted, hashed and tailed as the app stores them). Also a street admin, for the search bench.
 * In bulk (multi-row INSERTs in one transaction); skipped when the county's members are there already.
 */
import type mysql from 'mysql2/promise';
import { encryptField } from '../server/src/privacy/field-cipher';
import { phoneColumns } from '../server/src/privacy/phone-index';

/** The commonest surnames, the first ones the most (a crude Zipf weighting). */
const SURNAMES = '王李张刘陈杨黄赵吴周徐孙马朱胡郭何高林罗郑梁谢宋唐许韩冯邓曹彭曾肖田董袁潘于蒋蔡余杜叶程苏魏吕丁任沈姚卢姜崔钟谭陆汪范金石廖贾夏韦付方白邹孟熊秦邱江尹薛闫段雷侯龙史陶黎贺顾毛郝龚邵万钱严覃武戴莫孔向汤'.split('');
const GIVEN = '伟芳娜秀英敏静丽强磊军洋勇艳杰娟涛明超秀兰霞平刚桂英华建国玉梅志强海燕德明红梅卫东春花永红金凤文杰雪梅晓梅国华丽华淑芬秀珍建华丽娟美玲婷浩宇子涵欣怡梓轩雨桐佳怡一鸣思远'.split('');
const PREFIXES = ['135', '136', '137', '138', '139', '150', '151', '152', '158', '159', '186', '187', '188', '189', '131', '132', '155', '156', '133', '153', '180', '181', '177', '199'];

export const STREET_ADMIN = 'scale-street-admin-0';

let seed = 20261130;
const random = () => ((seed = (seed * 16807) % 2147483647) / 2147483647);

function personName(): string {
  const surname = SURNAMES[Math.floor(Math.pow(random(), 2.2) * SURNAMES.length)];
  const one = GIVEN[Math.floor(random() * GIVEN.length)];
  return random() < 0.3 ? surname + one : surname + one + GIVEN[Math.floor(random() * GIVEN.length)];
}

/** The n-th phone of the county: 7919 is prime to 10^8, so n ↦ n·7919 mod 10^8 never repeats. */
function countyPhone(n: number): string {
  return PREFIXES[n % PREFIXES.length] + String((n * 7919 + 1_234_567) % 100_000_000).padStart(8, '0');
}

async function insertMany(db: mysql.Connection, table: string, columns: string[], rows: unknown[][], batch = 4000) {
  for (let i = 0; i < rows.length; i += batch) {
    await db.query(`INSERT INTO \`${table}\` (${columns.map((c) => `\`${c}\``).join(',')}) VALUES ?`, [rows.slice(i, i + batch)]);
  }
}

export async function seedCountyResidents(db: mysql.Connection, lap: (what: string) => void): Promise<void> {
  const [[first]] = (await db.query("SELECT MIN(id) AS id FROM buildings WHERE code LIKE 'SCALE-B%'")) as any;
  if (!first?.id) return;
  const [[done]] = (await db.query('SELECT COUNT(*) AS n FROM household_memberships m JOIN households h ON h.id = m.householdId WHERE h.buildingId = ?', [first.id])) as any;
  if (done.n > 0) {
    console.log('the county’s households have their members already');
    return;
  }
  const started = performance.now();
  const step = (what: string) => console.log(`  ${what}: ${((performance.now() - started) / 1000).toFixed(1)} s`);
  await db.beginTransaction();
  // Floor areas: 55–145 m², spread over the flats.
  await db.query(
    "UPDATE households h JOIN buildings b ON b.id = h.buildingId SET h.areaM2 = ROUND(55 + MOD(h.id * 7919, 9001) / 100, 2) WHERE b.code LIKE 'SCALE-B%' AND h.areaM2 IS NULL",
  );
  step('areas');
  const [households] = (await db.query("SELECT h.id FROM households h JOIN buildings b ON b.id = h.buildingId WHERE b.code LIKE 'SCALE-B%' ORDER BY h.id")) as any;
  const [appResidents] = (await db.query("SELECT id, householdId FROM users WHERE openid LIKE 'scale-resident-%' AND householdId IS NOT NULL ORDER BY id")) as any;
  const livingIn = new Map<number, number[]>();
  for (const r of appResidents as { id: number; householdId: number }[]) livingIn.set(r.householdId, [...(livingIn.get(r.householdId) ?? []), r.id]);

  const [[{ nextUser }]] = (await db.query('SELECT COALESCE(MAX(id), 0) + 1 AS nextUser FROM users')) as any;
  let userId = Number(nextUser);
  let phoneNumber = 0;
  const now = new Date().toISOString().slice(0, 23).replace('T', ' ');
  const users: unknown[][] = [];
  const appOwners: unknown[][] = [];
  const memberships: unknown[][] = [];
  const ledgerPerson = (householdId: number, relation: string, withPhone: boolean) => {
    const id = userId++;
    const name = personName();
    const phone = withPhone ? phoneColumns(countyPhone(phoneNumber++)) : { phone: null, phoneHash: null, phoneTail: null };
    users.push([id, null, name, name, phone.phone ? encryptField(phone.phone) : null, phone.phoneHash, phone.phoneTail, householdId]);
    memberships.push([householdId, id, relation, 'verified', 'ledger', 0, now]);
  };
  for (const { id: householdId } of households as { id: number }[]) {
    const residents = livingIn.get(householdId) ?? [];
    if (residents.length === 0) ledgerPerson(householdId, 'owner', true);
    residents.forEach((residentId, i) => {
      // An app resident is the ledger's person, claimed: their WeChat-confirmed phone is the ledger's.
      const name = personName();
      const phone = phoneColumns(countyPhone(phoneNumber++));
      appOwners.push([residentId, '', name, encryptField(phone.phone!), phone.phoneHash, phone.phoneTail, now]);
      memberships.push([householdId, residentId, i === 0 ? 'owner' : 'family', 'verified', 'roster', 0, now]);
    });
    if (random() < 0.4) ledgerPerson(householdId, 'family', random() < 0.5);
    if (random() < 0.08) ledgerPerson(householdId, 'tenant', true);
  }
  step(`${users.length} people made (names, phones encrypted and hashed)`);
  await insertMany(db, 'users', ['id', 'openid', 'nickname', 'realName', 'phone', 'phoneHash', 'phoneTail', 'householdId'], users);
  step('people inserted');
  for (let i = 0; i < appOwners.length; i += 4000) {
    await db.query(
      // Every id exists: the row is updated, never inserted (the nickname is there only for strict mode).
      'INSERT INTO users (id, nickname, realName, phone, phoneHash, phoneTail, phoneVerifiedAt) VALUES ? ON DUPLICATE KEY UPDATE realName = VALUES(realName), phone = VALUES(phone), phoneHash = VALUES(phoneHash), phoneTail = VALUES(phoneTail), phoneVerifiedAt = VALUES(phoneVerifiedAt)',
      [appOwners.slice(i, i + 4000)],
    );
  }
  step('app residents named');
  await insertMany(db, 'household_memberships', ['householdId', 'userId', 'relation', 'status', 'method', 'version', 'decidedAt'], memberships);
  const [[street]] = (await db.query("SELECT id FROM grid_nodes WHERE code = 'SCALE-S0'")) as any;
  const admin = userId++;
  await db.query('INSERT INTO users (id, openid, nickname) VALUES (?, ?, ?)', [admin, STREET_ADMIN, '第1街道管理员']);
  await db.query('INSERT INTO role_assignments (userId, role, nodeId) VALUES (?, ?, ?)', [admin, 'admin', street.id]);
  step('memberships inserted');
  await db.commit();
  lap(`${(households as unknown[]).length} households with areas and members: ${users.length} people without WeChat, ${appOwners.length} app residents named, ${memberships.length} verified memberships`);
}
