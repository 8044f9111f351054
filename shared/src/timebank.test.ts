import { describe, expect, it } from 'vitest';
import { attendedMinutes, availableTaskActions, claimFlags, confirmClaimBody, createTaskBody, creditableMinutes, volunteerPoints, type AttendanceFacts } from './timebank';

const task = { startAt: '2030-05-01T06:00:00.000Z', endAt: '2030-05-01T08:00:00.000Z' };
const at = (hhmm: string) => `2030-05-01T${hhmm}:00.000Z`;

describe('attendance', () => {
  it('when check-in and check-out fall before the start, then nothing was attended', () => {
    expect(attendedMinutes(task, at('05:51'), at('05:51'))).toBe(0);
  });

  it('when a volunteer comes early and leaves late, then only the task window counts', () => {
    expect(attendedMinutes(task, at('05:30'), at('09:00'))).toBe(120);
    expect(attendedMinutes(task, at('06:30'), at('07:17'))).toBe(47);
  });

  it('when there is no check-out, then the attended time is unknown', () => {
    expect(attendedMinutes(task, at('06:00'), null)).toBeNull();
  });

  it('when attended time is credited, then it is rounded to the nearest 0.1 h and never more than the task', () => {
    expect(creditableMinutes(77, 120)).toBe(78);
    expect(creditableMinutes(2, 120)).toBe(0);
    expect(creditableMinutes(180, 120)).toBe(120);
  });

  it('when the task is resident-funded or nobody on staff confirmed it, then it earns no points', () => {
    expect(volunteerPoints('community', true, 90)).toBe(15);
    expect(volunteerPoints('resident', true, 24 * 60)).toBe(0);
    expect(volunteerPoints('community', false, 60)).toBe(0);
  });

  it('when the attendance looks odd, then it is flagged', () => {
    const fine: AttendanceFacts = { taskMinutes: 120, hasPlace: true, checkedIn: true, checkedOut: true, attendedMinutes: 120, checkInDistanceMeters: 20, checkOutDistanceMeters: 35 };
    expect(claimFlags(fine)).toEqual([]);
    expect(claimFlags({ ...fine, attendedMinutes: 59 })).toEqual(['short']);
    expect(claimFlags({ ...fine, checkInDistanceMeters: 1200, checkOutDistanceMeters: null })).toEqual(['far', 'no_location']);
    expect(claimFlags({ ...fine, checkedOut: false, attendedMinutes: null, checkOutDistanceMeters: null })).toEqual(['not_checked_out']);
    expect(claimFlags({ ...fine, hasPlace: false, checkInDistanceMeters: null, checkOutDistanceMeters: null })).toEqual([]);
  });

  it('when a confirmer credits hours, then they come in tenths of an hour from 0.1 to 24', () => {
    expect(confirmClaimBody.safeParse({ hours: 1.3, reason: '现场核实' }).success).toBe(true);
    expect(confirmClaimBody.safeParse({ hours: 1.25 }).success).toBe(false);
    expect(confirmClaimBody.safeParse({ hours: 0 }).success).toBe(false);
    expect(confirmClaimBody.safeParse({}).success).toBe(true);
  });
});

describe('help requests in the task state machine', () => {
  const relation = { volunteerInScope: true, isPoster: false, posterFamilyOnCommunityHours: false, secretaryInScope: false, hasClaim: false, full: false, beforeStart: true };
  it('a requested task is funded or declined by a secretary only, withdrawn by its poster, and claimed by nobody', () => {
    expect(availableTaskActions('requested', relation)).toEqual([]);
    expect(availableTaskActions('requested', { ...relation, isPoster: true })).toEqual(['cancel']);
    expect(availableTaskActions('requested', { ...relation, secretaryInScope: true })).toEqual(['cancel', 'fund', 'decline']);
    expect(availableTaskActions('open', { ...relation, secretaryInScope: true })).toEqual(['claim', 'cancel']);
    // The poster's family does not claim a task the community pays for.
    expect(availableTaskActions('open', { ...relation, posterFamilyOnCommunityHours: true })).toEqual([]);
    expect(availableTaskActions('declined', { ...relation, secretaryInScope: true, isPoster: true })).toEqual([]);
  });
  it('asking the community to fund names no payer of one’s own', () => {
    const base = { title: '帮忙买药', startAt: '2030-01-01T01:00:00.000Z', endAt: '2030-01-01T03:00:00.000Z', hours: 1, capacity: 1 };
    expect(createTaskBody.safeParse({ ...base, requestFunding: true }).success).toBe(true);
    expect(createTaskBody.safeParse({ ...base, requestFunding: true, fundedBy: 'resident' }).success).toBe(false);
  });
});
