import { View, Text } from '@tarojs/components';
import { LEDGER_CHANGE_LABELS, type LedgerChange, type LedgerImportResult } from '@linli/shared';

/** Rows of a long result shown at once; the rest are counted. */
const SHOWN = 50;

function changeText(change: LedgerChange): string {
  const what = [change.household, change.person].filter(Boolean).join(' · ');
  const detail = change.kind === 'area_changed' ? `${change.from ?? '空'} → ${change.to}㎡` : change.from ? `${change.from} → ${change.to}` : (change.to ?? '');
  return [what, detail && change.kind !== 'building_created' ? detail : ''].filter(Boolean).join('：');
}

/** What a dry run would change, or what an import changed: counts, rows that cannot be read, changes. */
export function ImportResult({ result }: { result: LedgerImportResult }) {
  const counts = [
    { key: 'created', label: '新增', value: result.created },
    { key: 'updated', label: '修改', value: result.updated },
    { key: 'unchanged', label: '不变', value: result.unchanged },
    { key: 'skipped', label: '跳过', value: result.skipped.length },
  ];
  const nothing = result.created === 0 && result.updated === 0;
  return (
    <View id="ledger-result" className={`card ledger__result ${result.dryRun ? 'is-preview' : 'is-done'}`}>
      <Text className="card-title">{result.dryRun ? '预览：导入后将会' : '已导入'}</Text>
      <View className="ledger__counts">
        {counts.map((c) => (
          <View key={c.key} id={`ledger-count-${c.key}`} className={`ledger__count ledger__count--${c.key}`}>
            <Text className="ledger__count-value">{c.value}</Text>
            <Text className="muted">{c.label}</Text>
          </View>
        ))}
      </View>
      {nothing ? (
        <View id="ledger-nothing" className="muted ledger__note">
          {result.dryRun ? '台账与系统一致，导入不会有任何变化。' : '没有任何变化。'}
        </View>
      ) : null}
      {result.skipped.length > 0 ? (
        <View id="ledger-skipped" className="ledger__list">
          <Text className="ledger__list-title">读不了的行（不会导入，改好后可再导入）</Text>
          {result.skipped.slice(0, SHOWN).map((s) => (
            <View key={s.row} className="ledger__line ledger__line--skipped">
              <Text className="ledger__row-no">第 {s.row} 行</Text>
              <Text>{s.reason}</Text>
            </View>
          ))}
          {result.skipped.length > SHOWN ? <Text className="muted">还有 {result.skipped.length - SHOWN} 行</Text> : null}
        </View>
      ) : null}
      {result.changes.length > 0 ? (
        <View id="ledger-changes" className="ledger__list">
          <Text className="ledger__list-title">{result.dryRun ? '将要做的变更' : '做了的变更'}</Text>
          {result.changes.slice(0, SHOWN).map((c, i) => (
            <View key={`${c.row}-${c.kind}-${i}`} className="ledger__line">
              <Text className="ledger__row-no">第 {c.row} 行</Text>
              <Text className={`mark mark--plain ledger__kind ledger__kind--${c.kind}`}>{LEDGER_CHANGE_LABELS[c.kind]}</Text>
              <Text>{changeText(c)}</Text>
            </View>
          ))}
          {result.changes.length + result.changesOmitted > SHOWN ? <Text className="muted">还有 {result.changes.length + result.changesOmitted - SHOWN} 条变更</Text> : null}
        </View>
      ) : null}
    </View>
  );
}
