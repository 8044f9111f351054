import type { DisputeDetail, DisputeStatus, Mediator } from '@linli/shared';
import type { TestServer } from '../../test/harness';

/** Logins and ready-made cases for the dispute tests: every case is walked to its state over HTTP. */
export class DisputeFixture {
  readonly tokens: Record<string, string> = {};
  readonly userIds: Record<string, number> = {};
  mediators: Mediator[] = [];

  constructor(private readonly server: TestServer) {}

  async login(...openids: string[]): Promise<void> {
    for (const openid of openids) {
      this.tokens[openid] = await this.server.login(openid);
      this.userIds[openid] = (await this.server.call('GET', '/me', { token: this.tokens[openid] })).body.id;
    }
  }

  /** The pool row of a demo mediator. */
  async mediator(openid: 'demo-mediator-1' | 'demo-mediator-2'): Promise<Mediator> {
    if (this.mediators.length === 0) this.mediators = (await this.call('demo-secretary-1', 'GET', '/mediators')).body.items;
    return this.mediators.find((m) => m.userId === this.userIds[openid])!;
  }

  call(who: string, method: string, path: string, body?: unknown) {
    return this.server.call(method, path, { token: this.tokens[who], body: body ?? (method === 'GET' ? undefined : {}) });
  }

  act(who: string, id: number, action: string, body: Record<string, unknown> = {}) {
    return this.server.call<DisputeDetail>('POST', `/disputes/${id}/${action}`, { token: this.tokens[who], body });
  }

  async must(who: string, id: number, action: string, body: Record<string, unknown> = {}): Promise<DisputeDetail> {
    const result = await this.act(who, id, action, body);
    if (result.status !== 200) throw new Error(`${who} ${action} #${id} → ${result.status} ${JSON.stringify(result.body)}`);
    return result.body;
  }

  /** demo-resident-1 applies against 孙女士 (respondent, phone 13900000001); returns the case. */
  async apply(who = 'demo-resident-1', extra: Record<string, unknown> = {}): Promise<DisputeDetail> {
    const result = await this.server.call<DisputeDetail>('POST', '/disputes', {
      token: this.tokens[who],
      body: {
        title: '楼道堆物纠纷',
        description: '邻居长期在共用楼道堆放杂物，影响通行，多次沟通无果。',
        type: 'neighbour',
        source: 'application',
        parties: [
          { role: 'applicant', name: '张晓梅', phone: '13857110001' },
          { role: 'respondent', name: '孙女士', phone: '13900000001' },
        ],
        ...extra,
      },
    });
    if (result.status !== 201) throw new Error(`apply → ${result.status} ${JSON.stringify(result.body)}`);
    return result.body;
  }

  /** A case of demo-resident-1 walked to `state` (mediator: demo-mediator-1; a failed case was sent to the fast-track court). */
  async caseIn(state: DisputeStatus, options: { form?: 'written' | 'oral'; advice?: string } = {}): Promise<DisputeDetail> {
    let d = await this.apply();
    const M = 'demo-mediator-1';
    const S = 'demo-secretary-1';
    if (state === 'registered') return d;
    if (state === 'declined') return this.must(S, d.id, 'decline', { reason: '不属于人民调解受理范围' });
    d = await this.must(S, d.id, 'accept', { mediatorId: (await this.mediator(M)).id });
    if (state === 'accepted') return d;
    d = await this.must(M, d.id, 'session', SESSION);
    if (state === 'mediating') return d;
    if (state === 'failed' || state === 'ruled' || (state === 'closed' && options.advice)) {
      d = await this.must(M, d.id, 'fail', { advice: options.advice ?? 'speedy_trial', reason: '双方分歧较大，无法达成一致' });
      if (state === 'failed') return d;
      if (state === 'ruled') return this.must(S, d.id, 'ruling', { note: '判决被申请人清理杂物', court: '青溪区人民法院速裁法庭' });
      return this.must(M, d.id, 'close', {});
    }
    d = await this.must(M, d.id, 'agree', { ...AGREEMENT, form: options.form ?? 'written' });
    if (state === 'agreed') return d;
    if (state === 'breached') return this.must(M, d.id, 'breach', { note: '到期未清理' });
    d = await this.must(M, d.id, 'fulfil', {});
    if (state === 'fulfilled') return d;
    return this.must(M, d.id, 'close', {});
  }
}

export const SESSION = {
  heldAt: new Date(Date.now() - 3600_000).toISOString(),
  place: '桂花社区调解室',
  participants: ['张晓梅', '孙女士', '沈国华'],
  notes: '双方陈述了各自意见，孙女士同意清理楼道。',
  photos: [],
};

/** A China day `days` from now. */
export const dayFromNow = (days: number) => new Date(Date.now() + 8 * 3600_000 + days * 24 * 3600_000).toISOString().slice(0, 10);

export const AGREEMENT = {
  terms: '孙女士于七日内清理楼道内全部杂物\n双方今后均不在共用楼道堆放物品',
  performance: '孙女士自行清理，网格员现场确认',
  deadline: dayFromNow(7),
};

/** A valid body for each action (for the illegal-transition table). */
export const VALID_BODIES = (mediatorId: number): Record<string, Record<string, unknown>> => ({
  accept: { mediatorId },
  decline: { reason: '不属于人民调解受理范围' },
  assign: { mediatorId },
  session: SESSION,
  agree: { ...AGREEMENT, form: 'written' },
  fail: { advice: 'speedy_trial', reason: '双方分歧较大' },
  fulfil: {},
  breach: { note: '到期未履行' },
  ruling: { note: '判决清理杂物' },
  visit: { method: 'call', note: '电话回访，已履行' },
  extend: { reason: '双方同意延期' },
  confirmation: { status: 'applied', court: '青溪区人民法院' },
  close: {},
});
