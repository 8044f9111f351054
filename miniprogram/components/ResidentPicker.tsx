import { useEffect, useRef, useState, type ReactNode } from 'react';
import { View, Text } from '@tarojs/components';
import { Button, Input } from '@nutui/nutui-react-taro';
import { MEMBERSHIP_RELATION_LABELS, MEMBERSHIP_STATUS_LABELS, type ResidentView } from '@linli/shared';
import { callResident, searchResidents } from '../services/residents';
import './ResidentPicker.scss';

/** Typing pauses this long before a search is sent. */
const DEBOUNCE_MS = 300;

interface Props {
  /** Ids `${idPrefix}-input`, `-result-<id>`, `-selected`, `-call-<id>`. */
  idPrefix?: string;
  selected: ResidentView | null;
  onSelect: (resident: ResidentView | null) => void;
  /**
   * Where people come from: by default the staff's search (`GET /residents?q=`, debounced); or a fixed
   * list (the caller's own household for a time-bank gift), shown whole and filtered by name as typed.
   */
  people?: ResidentView[];
  placeholder?: string;
  /** 拨打 beside each person (staff over them: the number is revealed only then, audited). */
  callable?: boolean;
  /** Shown under a search that found nobody (e.g. 登记新居民). */
  notFound?: (query: string) => ReactNode;
}

/**
 * Picks a person: name + masked phone + room(s), so that two 王秀英 are told apart by their rooms and
 * phone tails. Every staff picker uses it (代居民登记, 好人好事, …) and the time-bank gift.
 */
export function ResidentPicker({ idPrefix = 'resident-picker', selected, onSelect, people, placeholder, callable = false, notFound }: Props) {
  const [query, setQuery] = useState('');
  const [found, setFound] = useState<ResidentView[]>([]);
  const [searching, setSearching] = useState(false);
  const [searched, setSearched] = useState('');
  const generation = useRef(0);

  // Staff search: one request after typing pauses; an older answer never replaces a newer one.
  useEffect(() => {
    if (people) return;
    const q = query.trim();
    const current = ++generation.current;
    if (!q) {
      setFound([]);
      setSearched('');
      setSearching(false);
      return;
    }
    setSearching(true);
    const timer = setTimeout(() => {
      searchResidents(q)
        .then((page) => {
          if (current !== generation.current) return;
          setFound(page.items);
          setSearched(q);
        })
        .catch(() => current === generation.current && setFound([]))
        .finally(() => current === generation.current && setSearching(false));
    }, DEBOUNCE_MS);
    return () => clearTimeout(timer);
  }, [query, people]);

  if (selected) {
    return (
      <View id={`${idPrefix}-selected`} className="card resident-picker__selected">
        <PersonLine person={selected} idPrefix={idPrefix} callable={callable} />
        <View className="resident-picker__change" id={`${idPrefix}-change`} onClick={() => onSelect(null)}>
          更换
        </View>
      </View>
    );
  }

  const shown = people ? people.filter((p) => !query.trim() || p.name.includes(query.trim())) : found;
  const q = query.trim();

  return (
    <View className="resident-picker">
      {!people || people.length > 6 ? (
        <View id={`${idPrefix}-input`} className="card resident-picker__search">
          <Input placeholder={placeholder ?? '输入姓名、手机尾号或房号，如 王秀英 / 8866 / 3号楼 301'} value={query} maxLength={40} onChange={setQuery} />
        </View>
      ) : null}
      {!people && searching ? <View className="muted resident-picker__status">正在查找…</View> : null}
      {shown.length > 0 ? (
        <View id={`${idPrefix}-results`} className="card resident-picker__results">
          {shown.map((person) => (
            <View key={person.id} id={`${idPrefix}-result-${person.id}`} className="resident-picker__row resident-picker-result" onClick={() => onSelect(person)}>
              <PersonLine person={person} idPrefix={idPrefix} callable={callable} />
            </View>
          ))}
        </View>
      ) : null}
      {!people && !searching && q && searched === q && found.length === 0 ? (
        <View id={`${idPrefix}-empty`} className="card resident-picker__empty">
          <Text className="muted">没有找到「{q}」</Text>
          {notFound?.(q)}
        </View>
      ) : null}
      {people && people.length === 0 ? <View className="card muted">本户暂无其他已核验成员</View> : null}
    </View>
  );
}

/** One person: name, masked phone, and each of their rooms with how they belong there. */
function PersonLine({ person, idPrefix, callable }: { person: ResidentView; idPrefix: string; callable: boolean }) {
  return (
    <View className="resident-picker__person">
      <View className="resident-picker__main">
        <View className="resident-picker__name-line">
          <Text className="resident-picker__name">{person.name}</Text>
          {person.phoneMasked ? <Text className="resident-picker__phone">{person.phoneMasked}</Text> : null}
          {!person.usesApp ? <Text className="mark mark--plain">未用小程序</Text> : null}
        </View>
        {person.households.map((h) => (
          <Text key={h.id} className="muted resident-picker__room">
            {h.label} · {MEMBERSHIP_RELATION_LABELS[h.relation]}
            {h.status !== 'verified' ? `（${MEMBERSHIP_STATUS_LABELS[h.status]}）` : ''}
          </Text>
        ))}
      </View>
      {callable && person.phoneMasked ? (
        <Button
          id={`${idPrefix}-call-${person.id}`}
          className="resident-picker__call"
          size="small"
          fill="outline"
          type="primary"
          onClick={(event) => {
            event.stopPropagation();
            void callResident(person.id);
          }}
        >
          拨打
        </Button>
      ) : null}
    </View>
  );
}
