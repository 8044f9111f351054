import { IdentityAndGrid1763900000000 } from './1763900000000-identity-and-grid';

/** Listed explicitly: a glob of migration files does not load under vitest (TOOLCHAIN.md). */
export const migrations = [IdentityAndGrid1763900000000];
