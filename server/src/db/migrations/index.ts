import { IdentityAndGrid1763900000000 } from './1763900000000-identity-and-grid';
import { Reports1763900000200 } from './1763900000200-reports';

/** Listed explicitly: a glob of migration files does not load under vitest (TOOLCHAIN.md). */
export const migrations = [IdentityAndGrid1763900000000, Reports1763900000200];

import { Notifications1763900000100 } from './1763900000100-notifications';
migrations.push(Notifications1763900000100);
