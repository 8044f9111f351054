import { describe, expect, it } from 'vitest';
import {
  availableDisputeActions,
  createDisputeBody,
  DISPUTE_ACTION_LABELS,
  DISPUTE_ACTIONS,
  DISPUTE_RULES,
  DISPUTE_STATUS_INFO,
  DISPUTE_STATUSES,
  DISPUTE_TYPE_LABELS,
  DISPUTE_TYPES,
  type DisputeFacts,
  type DisputeRelation,
} from './disputes';

const facts: DisputeFacts = { failureAdvice: null, agreementForm: null, extended: false, confirmationStatus: null };
const party: DisputeRelation = { isParty: true, isMediator: false, coordinatorInScope: false };
const mediator: DisputeRelation = { isParty: false, isMediator: true, coordinatorInScope: false };
const coordinator: DisputeRelation = { isParty: false, isMediator: false, coordinatorInScope: true };

describe('the dispute state machine (shared)', () => {
  it('a party follows the case but takes no step of it', () => {
    for (const status of DISPUTE_STATUSES) expect(availableDisputeActions(status, { ...facts, agreementForm: 'written', failureAdvice: 'speedy_trial' }, party)).toEqual([]);
  });

  it('the coordinator accepts or declines; the mediator mediates; closed and declined are the end (but a declined case is archived)', () => {
    expect(availableDisputeActions('registered', facts, coordinator)).toEqual(['accept', 'decline']);
    expect(availableDisputeActions('registered', facts, mediator)).toEqual([]);
    expect(availableDisputeActions('accepted', facts, mediator)).toEqual(['session', 'extend']);
    expect(availableDisputeActions('mediating', facts, mediator)).toEqual(['session', 'agree', 'fail', 'extend']);
    expect(availableDisputeActions('mediating', facts, coordinator)).toEqual(['assign', 'extend']);
    expect(availableDisputeActions('closed', facts, coordinator)).toEqual([]);
    expect(availableDisputeActions('declined', facts, coordinator)).toEqual(['close']);
  });

  it('a ruling only after a failure sent to the fast-track court; an extension once; confirmation for written agreements until decided', () => {
    expect(availableDisputeActions('failed', { ...facts, failureAdvice: 'litigation' }, coordinator)).toEqual(['close']);
    expect(availableDisputeActions('failed', { ...facts, failureAdvice: 'speedy_trial' }, coordinator)).toEqual(['ruling', 'close']);
    expect(availableDisputeActions('mediating', { ...facts, extended: true }, mediator)).not.toContain('extend');
    expect(availableDisputeActions('agreed', { ...facts, agreementForm: 'oral' }, mediator)).toEqual(['fulfil', 'breach', 'visit']);
    expect(availableDisputeActions('agreed', { ...facts, agreementForm: 'written' }, mediator)).toContain('confirmation');
    expect(availableDisputeActions('agreed', { ...facts, agreementForm: 'written', confirmationStatus: 'applied' }, mediator)).toContain('confirmation');
    expect(availableDisputeActions('agreed', { ...facts, agreementForm: 'written', confirmationStatus: 'confirmed' }, mediator)).not.toContain('confirmation');
  });

  it('every state can be left or is the end, and every code has a label', () => {
    for (const status of DISPUTE_STATUSES) {
      const leaves = DISPUTE_ACTIONS.some((a) => DISPUTE_RULES[a].from.includes(status) && DISPUTE_RULES[a].to !== null && DISPUTE_RULES[a].to !== status);
      expect(leaves || status === 'closed', status).toBe(true);
      expect(DISPUTE_STATUS_INFO[status].label).toMatch(/\p{Script=Han}/u);
    }
    for (const action of DISPUTE_ACTIONS) expect(DISPUTE_ACTION_LABELS[action]).toMatch(/\p{Script=Han}/u);
    for (const type of DISPUTE_TYPES) expect(DISPUTE_TYPE_LABELS[type]).toMatch(/\p{Script=Han}/u);
  });

  it('an application names an applicant and a respondent', () => {
    const base = { title: '噪音纠纷', description: '楼上深夜经常拖动家具，影响休息。', type: 'neighbour', source: 'application' };
    expect(createDisputeBody.safeParse({ ...base, parties: [{ role: 'applicant', name: '甲' }, { role: 'respondent', name: '乙', phone: '138 5711-0001' }] }).data?.parties[1].phone).toBe('13857110001');
    expect(createDisputeBody.safeParse({ ...base, parties: [{ role: 'applicant', name: '甲' }, { role: 'third_party', name: '丙' }] }).success).toBe(false);
  });
});
