import { useCallback, useState } from 'react';
import Taro from '@tarojs/taro';
import type { ClaimAction, TimebankClaim } from '@linli/shared';
import { CLAIM_ACTION_LABELS } from '../components/ClaimRow';
import { actOnClaim, confirmClaim } from '../services/timebank';

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
    case 'no_show':
      return `把 ${claim.volunteer.nickname} 标记为未到场？不会发放时长。`;
    default:
      return null;
  }
}

/**
 * Runs a claim action (asking first where it matters) and then reloads, whether it worked or was
 * refused. Confirm opens the form instead (`confirming`): the page shows ConfirmClaimForm and sends it
 * with `confirm`.
 */
export function useClaimActions(reload: () => Promise<void> | void) {
  const [busy, setBusy] = useState(false);
  const [confirming, setConfirming] = useState<TimebankClaim | null>(null);

  const send = useCallback(
    async (action: ClaimAction, call: () => Promise<unknown>) => {
      setBusy(true);
      try {
        await call();
        void Taro.showToast({ title: DONE[action], icon: 'none' });
        return true;
      } catch {
        // The client toasted the server's reason (not yet open for check-in, someone acted first…).
        return false;
      } finally {
        setBusy(false);
        await reload();
      }
    },
    [reload],
  );

  const run = useCallback(
    async (claim: TimebankClaim, action: ClaimAction) => {
      if (busy) return;
      if (action === 'confirm') {
        setConfirming(claim);
        return;
      }
      const content = question(claim, action);
      if (content) {
        const { confirm } = await Taro.showModal({ title: CLAIM_ACTION_LABELS[action], content, confirmColor: '#c23b17' });
        if (!confirm) return;
      }
      await send(action, () => actOnClaim(claim, action));
    },
    [busy, send],
  );

  const confirm = useCallback(
    async (body: { hours: number; reason?: string }) => {
      if (busy || !confirming) return;
      if (await send('confirm', () => confirmClaim(confirming, body))) setConfirming(null);
    },
    [busy, confirming, send],
  );

  return { busy, run, confirming, confirm, closeConfirm: () => setConfirming(null) };
}
