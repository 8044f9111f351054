import { useEffect, useMemo, useRef, useState } from 'react';
import type { ConsultationTally } from '@linli/shared';
import { getConsultation, type ConsultationListItem } from '../services/consultations';

/**
 * The list rows of consultations being voted on, with their tally. Summaries don't carry one, so each
 * discussing row's detail is fetched once per `generation` (bump it to refresh, e.g. on page show).
 */
export function useTallies(items: ConsultationListItem[], generation: number): ConsultationListItem[] {
  const [tallies, setTallies] = useState<Record<number, ConsultationTally>>({});
  const asked = useRef(new Map<number, number>());

  useEffect(() => {
    const wanted = items.filter((item) => item.status === 'discussing' && !item.tally && asked.current.get(item.id) !== generation);
    for (const item of wanted) {
      asked.current.set(item.id, generation);
      getConsultation(item.id, { silent: true })
        .then((detail) => setTallies((old) => ({ ...old, [item.id]: detail.tally })))
        .catch(() => asked.current.delete(item.id));
    }
  }, [items, generation]);

  return useMemo(() => items.map((item) => (item.tally || !tallies[item.id] ? item : { ...item, tally: tallies[item.id] })), [items, tallies]);
}
