import { openDatabase } from '../server/src/db/data-source';
import { TokenService } from '../server/src/identity/tokens';

/**
 * BENCH_URL: the HTTP runs go to a deployment that is already running — nginx in front of
 * `npm run cluster`, say — instead of server processes the bench starts. A production deployment
 * has no dev login, so the bench signs its users' tokens with the deployment's JWT_SECRET, for users
 * it looks up in the deployment's database (DATABASE_URL), as `POST /auth/wechat` would issue them.
 */
export function benchFront(): { baseUrl: string; login: (openid: string) => Promise<string> } | null {
  const baseUrl = process.env.BENCH_URL?.replace(/\/+$/, '');
  if (!baseUrl) return null;
  const secret = process.env.JWT_SECRET;
  const databaseUrl = process.env.DATABASE_URL;
  if (!secret || !databaseUrl) throw new Error("BENCH_URL needs the deployment's JWT_SECRET and DATABASE_URL (to sign its users' tokens)");
  const tokens = new TokenService(secret, 3600);
  return {
    baseUrl,
    async login(openid) {
      const db = await openDatabase({ url: databaseUrl, embeddedFile: null });
      try {
        const [user] = await db.query('SELECT id FROM users WHERE openid = ?', [openid]);
        if (!user) throw new Error(`no user ${openid} in DATABASE_URL (is it the deployment's database, seeded?)`);
        return (await tokens.issue(Number(user.id))).token;
      } finally {
        await db.destroy();
      }
    },
  };
}
