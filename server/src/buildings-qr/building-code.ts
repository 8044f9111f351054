import { In, type DataSource } from 'typeorm';
import { BIND_PAGE, bindLink, bindScene, CAPABILITY_ROLES } from '@linli/shared';
import { Building } from '../grids/building.entity';
import type { GridDirectory } from '../grids/grid-directory';
import type { Actor } from '../identity/actor';
import { holdsRole, holdsRoleOver } from '../identity/authorize';
import { AppError, forbidden, notFound } from '../platform/errors';
import { codeSheetHtml } from './code-sheet';
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
    return { ...(await this.image(building, format, origin)), building };
  }

  /**
   * Every building of a community (or of one of its grids) on a printable sheet, one A4 page each,
   * for its secretary to print and post. Above community level it would be thousands of pages: 400.
   */
  async sheet(actor: Actor, nodeId: number, format: 'qr' | 'wxacode', origin: string): Promise<{ html: string; name: string }> {
    if (!holdsRole(actor, CODE_ROLES)) throw forbidden('只有社区书记和管理员可以生成楼栋码');
    await this.directory.ensureFresh();
    const node = this.directory.node(nodeId);
    if (!node) throw notFound('网格');
    if (!holdsRoleOver(actor, CODE_ROLES, node.path)) throw forbidden('该网格不在您的管辖范围内');
    if (node.level === 'district' || node.level === 'street') {
      throw new AppError('VALIDATION_FAILED', '楼栋码按社区打印，请选择一个社区', [{ path: 'params.id', message: 'above community level' }]);
    }
    // Micro-grids in the order they were made, then each one's buildings in their own order.
    const microgrids = this.directory.subtreeIds(node.id).sort((a, b) => a - b);
    const rows = await this.dataSource.getRepository(Building).find({ where: { microgridId: In(microgrids) }, order: { sortOrder: 'ASC', id: 'ASC' } });
    const rank = new Map(microgrids.map((id, i) => [id, i]));
    rows.sort((a, b) => rank.get(a.microgridId)! - rank.get(b.microgridId)! || a.sortOrder - b.sortOrder || a.id - b.id);
    const buildings = [];
    // One at a time: WeChat's code API is asked once per building, and the images are large.
    for (const building of rows) {
      const { contentType, image } = await this.image(building, format, origin);
      buildings.push({ name: building.name, code: building.code, image: `data:${contentType};base64,${image.toString('base64')}` });
    }
    const path = this.directory.pathOf(node.id).filter((p) => p.level !== 'district' && p.level !== 'street').map((p) => p.name);
    const hint = format === 'wxacode' ? '微信扫一扫 · 绑定住户 · 参与议事' : '扫码绑定住户 · 参与楼栋议事';
    return { html: codeSheetHtml({ name: node.name, path }, buildings, hint), name: node.name };
  }

  private async image(building: Building, format: 'qr' | 'wxacode', origin: string): Promise<CodeImage> {
    if (format === 'wxacode') return this.wxaCodes.getUnlimited({ scene: bindScene(building.id), page: BIND_PAGE, checkPath: false });
    return { contentType: 'image/png', image: await qrPng(`${origin}${bindLink(building.id)}`) };
  }
}
