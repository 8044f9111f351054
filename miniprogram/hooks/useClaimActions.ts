import { useCallback, useState } from 'react';
import Taro from '@tarojs/taro';
import { POINTS_PER_VOLUNTEER_HOUR, type ClaimAction, type TimebankClaim } from '@linli/shared';
import { CLAIM_ACTION_LABELS } from '../components/ClaimRow';
import { actOnClaim, hoursText } from '../services/timebank';

const DONE: Record<ClaimAction, string> = {
  cancel: '已取消报名',
  check_in: '签到成功',
  check_out: '签退成功',
  confirm: '已确认，时长已发放',
  no_show: '已标记未到场',
};

function question(claim: TimebankClaim, action: ClaimAction): string | null {
  switch (action) {
    case 'cancel':
      return `取消「${claim.task.title}」的报名？名额会让给其他志愿者。`;
    case 'confirm':
      return `确认 ${claim.volunteer.nickname} 到场服务，发放 ${hoursText(claim.hours)}和 ${claim.hours * POINTS_PER_VOLUNTEER_HOUR} 积分？`;
    case 'no_show':
      return `把 ${claim.volunteer.nickname} 标记为未到场？不会发放时长。`;
    default:
      return null;
  }
}

/** Runs a claim action (asking first where it matters) and then reloads, whether it worked or was refused. */
export function useClaimActions(reload: () => Promise<void> | void) {
  const [busy, setBusy] = useState(false);
  const run = useCallback(
    async (claim: TimebankClaim, action: ClaimAction) => {
      if (busy) return;
      const content = question(claim, action);
      if (content) {
        const { confirm } = await Taro.showModal({ title: CLAIM_ACTION_LABELS[action], content, confirmColor: '#e8552d' });
        if (!confirm) return;
      }
      setBusy(true);
      try {
        await actOnClaim(claim, action);
        void Taro.showToast({ title: DONE[action], icon: 'none' });
      } catch {
        // The client toasted the server's reason (not yet open for check-in, someone acted first…).
      } finally {
        setBusy(false);
        await reload();
      }
    },
    [busy, reload],
  );
  return { busy, run };
}
