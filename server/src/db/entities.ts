import { Building } from '../grids/building.entity';
import { GridNode } from '../grids/grid-node.entity';
import { Household } from '../grids/household.entity';
import { RoleAssignment } from '../identity/role-assignment.entity';
import { User } from '../identity/user.entity';
import { SystemCounter } from './system-counter.entity';

export const entities = [GridNode, Building, Household, User, RoleAssignment, SystemCounter];
