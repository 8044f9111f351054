import { describe, expect, it } from 'vitest';
import {
  areaHundredths,
  availableConsultationActions,
  castsHouseholdVote,
  consultationActionBodies,
  decideOutcome,
  formatAreaM2,
  outcomeThresholds,
  participationText,
  thresholdLines,
  VOTING_RULES,
  type ConsultationRelation,
  type OutcomeInput,
  type VotingRule,
} from './consultations';

const outcome = (rule: VotingRule, eligibleHouseholds: number, votedHouseholds: number, inFavour: number, areas?: { eligible: number; voted: number; inFavour: number }) =>
  decideOutcome({
    rule,
    eligibleHouseholds,
    votedHouseholds,
    inFavour,
    // Without areas given: every flat 100.00 m², so the area follows the households.
    eligibleArea: areas?.eligible ?? eligibleHouseholds * 10_000,
    votedArea: areas?.voted ?? votedHouseholds * 10_000,
    inFavourArea: areas?.inFavour ?? inFavour * 10_000,
  });

describe('decideOutcome: simple (households only)', () => {
  it('when exactly half of the households vote, then there is a quorum; one household fewer, then no quorum', () => {
    expect(outcome('simple', 24, 12, 7)).toBe('passed');
    expect(outcome('simple', 24, 11, 11)).toBe('no_quorum');
    // An odd number: half of 13 is 6.5, so 7 is the least.
    expect(outcome('simple', 13, 7, 4)).toBe('passed');
    expect(outcome('simple', 13, 6, 6)).toBe('no_quorum');
  });

  it('when more than half of the votes are in favour, then it passes; exactly half, then it fails', () => {
    expect(outcome('simple', 24, 12, 7)).toBe('passed');
    expect(outcome('simple', 24, 12, 6)).toBe('failed');
    expect(outcome('simple', 24, 13, 7)).toBe('passed');
    expect(outcome('simple', 24, 13, 6)).toBe('failed');
  });

  it('when the area of the voters is tiny or missing, then simple does not care', () => {
    expect(outcome('simple', 24, 12, 7, { eligible: 0, voted: 0, inFavour: 0 })).toBe('passed');
    expect(outcome('simple', 24, 12, 7, { eligible: 218_061, voted: 1, inFavour: 1 })).toBe('passed');
  });
});

/**
 * A scope of 24 households and 2,180.61 m² (218,061 hundredths, divisible by 3): ⅔ is exactly 16
 * households and 1,453.74 m², so "以上" (inclusive) is tested at the figure itself and 0.01 m² below.
 */
const E = 24;
const EA = 218_061;
const TWO_THIRDS_AREA = 145_374;

describe.each(['civil_code_general', 'civil_code_major'] as const)('decideOutcome: %s participation on both dimensions', (rule) => {
  const unanimous = (voted: number, votedArea: number) => outcome(rule, E, voted, voted, { eligible: EA, voted: votedArea, inFavour: votedArea });

  it('when exactly ⅔ of the households and exactly ⅔ of the area take part, then there is a quorum', () => {
    expect(TWO_THIRDS_AREA * 3).toBe(EA * 2);
    expect(unanimous(16, TWO_THIRDS_AREA)).toBe('passed');
  });
  it('when one household fewer than ⅔ takes part (the area met), then no quorum', () => {
    expect(unanimous(15, TWO_THIRDS_AREA + 50_000)).toBe('no_quorum');
  });
  it('when 0.01 m² less than ⅔ of the area takes part (the households met), then no quorum', () => {
    expect(unanimous(20, TWO_THIRDS_AREA - 1)).toBe('no_quorum');
    expect(unanimous(20, TWO_THIRDS_AREA)).toBe('passed');
  });
  it('when all take part, then there is a quorum', () => {
    expect(unanimous(E, EA)).toBe('passed');
  });
});

describe('decideOutcome: civil_code_general in favour, more than half of both (strict)', () => {
  // 16 households with 1,600.00 m² take part: more than half is 9 households and 800.01 m².
  const general = (inFavour: number, inFavourArea: number) => outcome('civil_code_general', E, 16, inFavour, { eligible: EA, voted: 160_000, inFavour: inFavourArea });
  it('when 9 of 16 households with 800.01 of 1,600 m² agree, then it passes', () => {
    expect(general(9, 80_001)).toBe('passed');
  });
  it('when exactly half of the households agree (8 of 16), then it fails though the area is more than half', () => {
    expect(general(8, 120_000)).toBe('failed');
  });
  it('when exactly half of the area agrees (800.00 m²), then it fails though more than half of the households do', () => {
    expect(general(12, 80_000)).toBe('failed');
  });
  it('when an odd number take part, then more than half is the next whole household', () => {
    expect(outcome('civil_code_general', 21, 17, 9, { eligible: 210_000, voted: 170_000, inFavour: 90_000 })).toBe('passed');
    expect(outcome('civil_code_general', 21, 17, 8, { eligible: 210_000, voted: 170_000, inFavour: 90_000 })).toBe('failed');
  });
});

describe('decideOutcome: civil_code_major in favour, ¾ or more of both (inclusive)', () => {
  // 16 households with 1,600.00 m² take part: ¾ is exactly 12 households and 1,200.00 m².
  const major = (inFavour: number, inFavourArea: number) => outcome('civil_code_major', E, 16, inFavour, { eligible: EA, voted: 160_000, inFavour: inFavourArea });
  it('when exactly ¾ of the households and exactly ¾ of the area agree, then it passes', () => {
    expect(major(12, 120_000)).toBe('passed');
  });
  it('when one household fewer than ¾ agrees, then it fails', () => {
    expect(major(11, 150_000)).toBe('failed');
  });
  it('when 0.01 m² less than ¾ of the area agrees, then it fails', () => {
    expect(major(14, 119_999)).toBe('failed');
  });
  it('when ¾ is not a whole number, then the next whole household is needed', () => {
    // 17 take part: ¾ is 12.75, so 13.
    expect(outcome('civil_code_major', E, 17, 13, { eligible: EA, voted: 170_000, inFavour: 127_500 })).toBe('passed');
    expect(outcome('civil_code_major', E, 17, 12, { eligible: EA, voted: 170_000, inFavour: 127_500 })).toBe('failed');
    expect(outcome('civil_code_major', E, 17, 13, { eligible: EA, voted: 170_000, inFavour: 127_499 })).toBe('failed');
  });
});

describe('decideOutcome: edges of every rule', () => {
  it('when nobody is eligible or nobody votes, then no quorum, never a pass', () => {
    for (const rule of VOTING_RULES) {
      expect(outcome(rule, 0, 0, 0)).toBe('no_quorum');
      expect(outcome(rule, 3, 0, 0)).toBe('no_quorum');
    }
  });

  it('when the thresholds are read as numbers, then they decide exactly as the cross-multiplied comparisons do', () => {
    // Every small scope, participation and vote, with areas that put the area thresholds one hundredth either side.
    for (const rule of VOTING_RULES) {
      for (let eligible = 1; eligible <= 13; eligible++) {
        for (let voted = 1; voted <= eligible; voted++) {
          for (let inFavour = 0; inFavour <= voted; inFavour++) {
            for (const [eligibleArea, votedArea, inFavourArea] of [
              [eligible * 9_001, voted * 9_001, inFavour * 9_001],
              [30_000, 20_000, 15_000],
              [30_000, 19_999, 15_001],
              [30_001, 20_001, 10_001],
            ]) {
              const input: OutcomeInput = { rule, eligibleHouseholds: eligible, votedHouseholds: voted, inFavour, eligibleArea, votedArea, inFavourArea };
              const t = outcomeThresholds(rule, input);
              const quorum = voted >= t.participationHouseholds && (t.participationArea === null || votedArea >= t.participationArea);
              const carried = inFavour >= t.inFavourHouseholds && (t.inFavourArea === null || inFavourArea >= t.inFavourArea);
              expect(decideOutcome(input), JSON.stringify(input)).toBe(!quorum ? 'no_quorum' : carried ? 'passed' : 'failed');
            }
          }
        }
      }
    }
  });

  it('areas are whole hundredths of a square metre: 0.1 + 0.2 m² is 0.30 m²', () => {
    expect(areaHundredths(0.1) + areaHundredths(0.2)).toBe(areaHundredths(0.3));
    expect(areaHundredths(88.25)).toBe(8825);
    expect(areaHundredths(null)).toBe(0);
    expect(formatAreaM2(2180.6)).toBe('2,180.6');
    expect(formatAreaM2(1523.45)).toBe('1,523.45');
    expect(formatAreaM2(100)).toBe('100');
    expect(formatAreaM2(1234567.8)).toBe('1,234,567.8');
  });
});

describe('the tally and the thresholds in words', () => {
  const tally = { eligibleHouseholds: 24, votedHouseholds: 16, eligibleAreaM2: 2180.61, votedAreaM2: 1523.4 };
  it('when a vote is under way, then the page reads headcount and area, and the least that passes', () => {
    expect(participationText(tally)).toBe('参与 16/24 户 · 1,523.4/2,180.61 ㎡');
    expect(thresholdLines('civil_code_major', tally)).toEqual([
      '参与：至少 16 户且至少 1,453.74 ㎡（户数、面积均三分之二以上），现有 16 户、1,523.4 ㎡',
      // ¾ of 152,340 hundredths is 114,255 exactly.
      '同意：参与户数和参与面积均四分之三以上，按现在的参与需至少 12 户且至少 1,142.55 ㎡',
    ]);
    expect(thresholdLines('civil_code_general', tally)[1]).toBe('同意：参与户数和参与面积均过半数，按现在的参与需至少 9 户且至少 761.71 ㎡');
    expect(thresholdLines('simple', tally)).toEqual(['参与：至少 12 户（共 24 户的一半），现有 16 户', '同意：超过参与户数的一半，按现在的参与需至少 9 户']);
    // Before anyone votes there is no participation to count the votes in favour against.
    expect(thresholdLines('civil_code_general', { ...tally, votedHouseholds: 0, votedAreaM2: 0 })[1]).toBe('同意：参与户数和参与面积均过半数');
  });
});

describe('who casts a household’s vote', () => {
  it('when the rule is simple, then any verified member; under the Civil Code, then only an owner', () => {
    for (const relation of ['owner', 'family', 'tenant'] as const) expect(castsHouseholdVote('simple', relation)).toBe(true);
    for (const rule of ['civil_code_general', 'civil_code_major'] as const) {
      expect(castsHouseholdVote(rule, 'owner')).toBe(true);
      expect(castsHouseholdVote(rule, 'family')).toBe(false);
      expect(castsHouseholdVote(rule, 'tenant')).toBe(false);
    }
    expect(castsHouseholdVote('simple', null)).toBe(false);
  });

  it('when staff record a proxy, then a photo of the authorisation is required; a paper ballot may come without', () => {
    const ballot = consultationActionBodies.ballot;
    expect(ballot.safeParse({ householdId: 1, optionId: 2, method: 'proxy' }).success).toBe(false);
    expect(ballot.safeParse({ householdId: 1, optionId: 2, method: 'proxy', photos: ['/api/v1/uploads/files/a.jpg'] }).success).toBe(true);
    expect(ballot.safeParse({ householdId: 1, optionId: 2, method: 'paper' }).success).toBe(true);
    expect(ballot.safeParse({ householdId: 1, optionId: 2, method: 'app' }).success).toBe(false);
  });
});

describe('consultation actions', () => {
  const base: ConsultationRelation = {
    isProposer: false,
    householdInScope: false,
    householdSupported: false,
    secretaryInScope: false,
    recordsBallots: false,
    householdRelation: null,
    rule: null,
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
    const member = { ...base, householdInScope: true, householdRelation: 'family' as const, rule: 'simple' as const };
    expect(availableConsultationActions('discussing', { ...member, votingOpen: true })).toEqual(['comment', 'vote']);
    expect(availableConsultationActions('discussing', { ...member, votingOpen: false })).toEqual(['comment']);
    expect(availableConsultationActions('discussing', { ...base, secretaryInScope: true })).toEqual(['comment', 'close']);
  });
  it('under a Civil Code rule only an owner is offered the vote; staff over the scope record ballots while voting is open', () => {
    const member = { ...base, householdInScope: true, votingOpen: true, rule: 'civil_code_major' as const };
    expect(availableConsultationActions('discussing', { ...member, householdRelation: 'owner' })).toEqual(['comment', 'vote']);
    expect(availableConsultationActions('discussing', { ...member, householdRelation: 'tenant' })).toEqual(['comment']);
    expect(availableConsultationActions('discussing', { ...base, secretaryInScope: true, recordsBallots: true, votingOpen: true })).toEqual(['comment', 'ballot', 'close']);
    expect(availableConsultationActions('discussing', { ...base, recordsBallots: true, votingOpen: false })).toEqual([]);
  });
  it('only a passed decision is implemented', () => {
    expect(availableConsultationActions('decided', { ...base, secretaryInScope: true, passed: true })).toEqual(['implement']);
    expect(availableConsultationActions('decided', { ...base, secretaryInScope: true, passed: false })).toEqual([]);
    expect(availableConsultationActions('implementing', { ...base, isOwner: true })).toEqual(['progress', 'complete']);
  });
});
