import { Building } from '../grids/building.entity';
import { GridNode } from '../grids/grid-node.entity';
import { Household } from '../grids/household.entity';
import { RoleAssignment } from '../identity/role-assignment.entity';
import { User } from '../identity/user.entity';
import { Department } from '../reports/department.entity';
import { Report } from '../reports/report.entity';
import { ReportCategoryRow } from '../reports/report-category.entity';
import { ReportEventRow } from '../reports/report-event.entity';
import { ReportFollower } from '../reports/report-follower.entity';
import { SystemCounter } from './system-counter.entity';

export const entities = [GridNode, Building, Household, User, RoleAssignment, SystemCounter, Department, ReportCategoryRow, Report, ReportEventRow, ReportFollower];

import { Notification } from '../notifications/notification.entity';
import { NotificationDelivery } from '../notifications/notification-delivery.entity';
(entities as unknown[]).push(Notification, NotificationDelivery);
