import { describe, expect, it } from 'vitest';
import { availableConsultationActions, decideOutcome, type ConsultationRelation, type VotingRule } from './consultations';

const outcome = (rule: VotingRule, eligibleHouseholds: number, votedHouseholds: number, inFavour: number) =>
  decideOutcome({ rule, eligibleHouseholds, votedHouseholds, inFavour });

describe('decideOutcome at each threshold, one household either side', () => {
  it('simple: quorum is half of the households, inclusive', () => {
    expect(outcome('simple', 12, 6, 4)).toBe('passed');
    expect(outcome('simple', 12, 5, 5)).toBe('no_quorum');
    expect(outcome('simple', 13, 7, 4)).toBe('passed');
    expect(outcome('simple', 13, 6, 6)).toBe('no_quorum');
  });

  it('simple: more than half of the votes in favour, strictly', () => {
    expect(outcome('simple', 12, 6, 4)).toBe('passed');
    expect(outcome('simple', 12, 6, 3)).toBe('failed');
    expect(outcome('simple', 12, 7, 4)).toBe('passed');
    expect(outcome('simple', 12, 7, 3)).toBe('failed');
  });

  it('civil_code_general: two thirds take part (inclusive), more than half of them in favour', () => {
    expect(outcome('civil_code_general', 12, 8, 5)).toBe('passed');
    expect(outcome('civil_code_general', 12, 7, 7)).toBe('no_quorum');
    expect(outcome('civil_code_general', 9, 6, 4)).toBe('passed');
    expect(outcome('civil_code_general', 9, 5, 5)).toBe('no_quorum');
    expect(outcome('civil_code_general', 12, 8, 4)).toBe('failed');
    expect(outcome('civil_code_general', 10, 7, 4)).toBe('passed');
    expect(outcome('civil_code_general', 10, 6, 6)).toBe('no_quorum');
  });

  it('civil_code_major: two thirds take part, three quarters of them in favour (inclusive)', () => {
    expect(outcome('civil_code_major', 12, 8, 6)).toBe('passed');
    expect(outcome('civil_code_major', 12, 8, 5)).toBe('failed');
    expect(outcome('civil_code_major', 12, 12, 9)).toBe('passed');
    expect(outcome('civil_code_major', 12, 12, 8)).toBe('failed');
    expect(outcome('civil_code_major', 12, 7, 7)).toBe('no_quorum');
    expect(outcome('civil_code_major', 9, 7, 6)).toBe('passed');
    expect(outcome('civil_code_major', 9, 7, 5)).toBe('failed');
  });

  it('nobody eligible or nobody voting is no quorum, never a pass', () => {
    for (const rule of ['simple', 'civil_code_general', 'civil_code_major'] as const) {
      expect(outcome(rule, 0, 0, 0)).toBe('no_quorum');
      expect(outcome(rule, 3, 0, 0)).toBe('no_quorum');
    }
  });
});

describe('consultation actions', () => {
  const base: ConsultationRelation = {
    isProposer: false,
    householdInScope: false,
    householdSupported: false,
    secretaryInScope: false,
    isOwner: false,
    votingOpen: false,
    passed: false,
  };
  it('a neighbour in scope co-signs once; the proposer may withdraw; the secretary reviews', () => {
    expect(availableConsultationActions('proposed', { ...base, householdInScope: true })).toEqual(['cosign']);
    expect(availableConsultationActions('proposed', { ...base, householdInScope: true, householdSupported: true, isProposer: true })).toEqual(['withdraw']);
    expect(availableConsultationActions('in_review', { ...base, secretaryInScope: true })).toEqual(['approve', 'reject']);
    expect(availableConsultationActions('proposed', base)).toEqual([]);
  });
  it('while discussing: households comment and vote until the deadline; the secretary closes', () => {
    expect(availableConsultationActions('discussing', { ...base, householdInScope: true, votingOpen: true })).toEqual(['comment', 'vote']);
    expect(availableConsultationActions('discussing', { ...base, householdInScope: true, votingOpen: false })).toEqual(['comment']);
    expect(availableConsultationActions('discussing', { ...base, secretaryInScope: true })).toEqual(['comment', 'close']);
  });
  it('only a passed decision is implemented', () => {
    expect(availableConsultationActions('decided', { ...base, secretaryInScope: true, passed: true })).toEqual(['implement']);
    expect(availableConsultationActions('decided', { ...base, secretaryInScope: true, passed: false })).toEqual([]);
    expect(availableConsultationActions('implementing', { ...base, isOwner: true })).toEqual(['progress', 'complete']);
  });
});
