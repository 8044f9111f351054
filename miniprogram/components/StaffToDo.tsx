import { useEffect, useRef, useState } from 'react';
import { View, Text } from '@tarojs/components';
import Taro from '@tarojs/taro';
import { isStaff, mayReviewContent, mayVerifyMemberships, type Me } from '@linli/shared';
import { WORKBENCH_PAGE } from '../services/me';
import { listModerationCases, MODERATION_PAGE } from '../services/moderation';
import { listReports } from '../services/reports';
import { listMemberships, MEMBERSHIP_QUEUE_PAGE } from '../services/residents';
import { useShownLoad } from '../hooks/useShownLoad';
import './StaffToDo.scss';

type Key = 'submitted' | 'dueSoon' | 'overdue' | 'memberships' | 'held';

interface Tile {
  key: Key;
  label: string;
  url: string;
  may: (me: Me) => boolean;
  /** Counts above zero are a warning, not just work. */
  alert?: boolean;
}

/** What waits for the person, by the roles they hold; each tile opens the list it counts. */
const TILES: Tile[] = [
  { key: 'submitted', label: '待受理', url: `${WORKBENCH_PAGE}?filter=submitted`, may: isStaff },
  { key: 'dueSoon', label: '即将超期', url: `${WORKBENCH_PAGE}?filter=dueSoon`, may: isStaff, alert: true },
  { key: 'overdue', label: '已超期', url: `${WORKBENCH_PAGE}?filter=overdue`, may: isStaff, alert: true },
  { key: 'memberships', label: '待核验', url: MEMBERSHIP_QUEUE_PAGE, may: (me) => mayVerifyMemberships(me.roles) },
  { key: 'held', label: '待审核', url: MODERATION_PAGE, may: mayReviewContent },
];

/** A count the network dropped (a slow phone's, now and then) is asked again this much later, once per show. */
const RETRY_MS = 3_000;

/** One row fetched of each list: the counts ride along with it; `complete` when none of them failed. */
async function countsFor(me: Me): Promise<{ counts: Partial<Record<Key, number>>; complete: boolean }> {
  const counts: Partial<Record<Key, number>> = {};
  const jobs: Promise<unknown>[] = [];
  if (isStaff(me)) {
    jobs.push(
      listReports({ scope: 'queue', status: 'open', limit: 1 }).then((page) => {
        if (!page.counts) return;
        counts.submitted = page.counts.submitted;
        counts.dueSoon = page.counts.dueSoon;
        counts.overdue = page.counts.overdue;
      }),
    );
  }
  if (mayVerifyMemberships(me.roles)) jobs.push(listMemberships({ status: 'pending', limit: 1 }, { silent: true }).then((page) => (counts.memberships = page.counts.pending)));
  if (mayReviewContent(me)) jobs.push(listModerationCases({ status: 'held', limit: 1 }, { silent: true }).then((page) => (counts.held = page.counts.held)));
  const settled = await Promise.allSettled(jobs);
  return { counts, complete: settled.every((job) => job.status === 'fulfilled') };
}

/** 我的待办 on a staff member's home: the day's to-do counts, refreshed each time the home shows. */
export function StaffToDo({ me }: { me: Me }) {
  const tiles = TILES.filter((tile) => tile.may(me));
  const [counts, setCounts] = useState<Partial<Record<Key, number>>>({});
  const retry = useRef<ReturnType<typeof setTimeout>>();
  useEffect(() => () => clearTimeout(retry.current), []);
  const load = (mayRetry: boolean) =>
    void countsFor(me).then(({ counts: fresh, complete }) => {
      // A count that failed keeps the one shown before.
      setCounts((shown) => ({ ...shown, ...fresh }));
      if (!complete && mayRetry) retry.current = setTimeout(() => load(false), RETRY_MS);
    });
  useShownLoad(() => load(true));
  if (tiles.length === 0) return null;
  return (
    <View id="home-todo" className="card todo">
      <View className="todo__head">
        <Text className="card-title">我的待办</Text>
        <Text id="home-todo-workbench" className="todo__more" onClick={() => void Taro.navigateTo({ url: WORKBENCH_PAGE })}>
          工作台 ›
        </Text>
      </View>
      <View className="todo__tiles">
        {tiles.map((tile) => {
          const count = counts[tile.key];
          return (
            <View key={tile.key} id={`home-todo-${tile.key}`} className={`todo__tile ${tile.alert && count ? 'is-alert' : ''}`} onClick={() => void Taro.navigateTo({ url: tile.url })}>
              <Text className="todo__count">{count ?? '·'}</Text>
              <Text className="todo__label">{tile.label}</Text>
            </View>
          );
        })}
      </View>
    </View>
  );
}
