import type { JoinHouseholdBody, GridLevel, Me, MeHousehold } from '@linli/shared';
import { api } from './api';
import { saveUser } from './session';

export async function getMe(): Promise<Me> {
  const me = await api.get<Me>('/me');
  saveUser(me);
  return me;
}

export async function bindHousehold(householdId: number): Promise<Me> {
  const body: JoinHouseholdBody = { householdId };
  const me = await api.put<Me>('/me/household', body);
  saveUser(me);
  return me;
}

export const WORKBENCH_PAGE = '/packages/workbench/index';

/** The name of the household's grid node at `level`, e.g. its community. */
export function pathName(household: MeHousehold, level: GridLevel): string | null {
  return household.path.find((entry) => entry.level === level)?.name ?? null;
}
