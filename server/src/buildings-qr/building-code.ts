import type { DataSource } from 'typeorm';
import { BIND_PAGE, bindLink, bindScene, CAPABILITY_ROLES } from '@linli/shared';
import { Building } from '../grids/building.entity';
import type { GridDirectory } from '../grids/grid-directory';
import type { Actor } from '../identity/actor';
import { holdsRole, holdsRoleOver } from '../identity/authorize';
import { forbidden, notFound } from '../platform/errors';
import { qrPng, type CodeImage, type WxaCodeProvider } from './wxacode';

const CODE_ROLES = CAPABILITY_ROLES.makeBuildingCodes;

/**
 * 一楼一码: the code posted in a building's hall. Scanned in WeChat (format `wxacode`) it opens the
 * mini-program's bind page with `scene=b=<id>`; scanned by any camera (format `qr`) it opens the H5
 * app's bind page with `buildingId=<id>`. Either way the building is already chosen.
 */
export class BuildingCodes {
  constructor(
    private readonly dataSource: DataSource,
    private readonly directory: GridDirectory,
    private readonly wxaCodes: WxaCodeProvider,
  ) {}

  async code(actor: Actor, buildingId: number, format: 'qr' | 'wxacode', origin: string): Promise<CodeImage & { building: Building }> {
    if (!holdsRole(actor, CODE_ROLES)) throw forbidden('只有社区书记和管理员可以生成楼栋码');
    const building = await this.dataSource.getRepository(Building).findOneBy({ id: buildingId });
    if (!building) throw notFound('楼栋');
    await this.directory.ensureFresh();
    const path = this.directory.node(building.microgridId)?.path;
    if (!path || !holdsRoleOver(actor, CODE_ROLES, path)) throw forbidden('该楼栋不在您的管辖范围内');
    if (format === 'wxacode') return { ...(await this.wxaCodes.getUnlimited({ scene: bindScene(building.id), page: BIND_PAGE, checkPath: false })), building };
    return { contentType: 'image/png', image: await qrPng(`${origin}${bindLink(building.id)}`), building };
  }
}
