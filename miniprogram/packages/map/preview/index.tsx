import { useEffect, useMemo, useState } from 'react';
import { Text, View } from '@tarojs/components';
import Taro from '@tarojs/taro';
import { Button } from '@nutui/nutui-react-taro';
import { GRID_LEVEL_LABELS, type GridImportChange, type GridImportPreview } from '@linli/shared';
import { DeskPage } from '../../../components/DeskPage';
import { importGrids } from '../../../services/admin';
import { dropImportDraft, GRIDS_IMPORTED_EVENT, importDraft, previewGridImport } from '../../../services/map';
import { AREA_LABEL, bboxOfAreas, geoComponent, registerAreas, type Band, type Region } from '../map-option';
import { Legend } from '../Legend';
import { MapCanvas } from '../MapCanvas';
import './index.scss';

const CHANGE_BANDS: Record<GridImportChange, Band> = {
  new: { key: 'new', color: '#a5d6a7', label: '新建' },
  changed: { key: 'changed', color: '#ffcc80', label: '变更（名称或边界）' },
  unchanged: { key: 'unchanged', color: '#eceff1', label: '不变' },
};
const GAP: Band = { key: 'gap', color: 'rgba(229,57,53,0.16)', label: '上级内未被下级覆盖（虚线）' };
const SIBLING: Band = { key: 'sibling', color: '#ffffff', label: '已有、未导入' };
const OVERLAP: Band = { key: 'overlap', color: '#ffffff', label: '红框：与同级网格重叠' };

/**
 * The admin's import, seen on the map before it is saved: what each code would become (new, changed,
 * unchanged), which siblings would overlap and what of a parent no child would cover. Nothing is written
 * until 确认导入 (the server's dry run checks exactly what the import checks).
 */
export default function ImportPreviewPage() {
  const [preview, setPreview] = useState<GridImportPreview | null>(null);
  const [problem, setProblem] = useState<string | null>(null);
  const [saving, setSaving] = useState(false);

  useEffect(() => {
    const draft = importDraft();
    if (!draft) {
      setProblem('没有待预览的导入，请返回粘贴 GeoJSON');
      return;
    }
    previewGridImport(draft)
      .then(setPreview)
      .catch(() => setProblem('预览失败：请按提示修改 GeoJSON 后再试'));
  }, []);

  const option = useMemo(() => {
    if (!preview) return null;
    const overlapping = new Set(preview.overlaps.flatMap((o) => o.codes));
    // A parent's name would sit on its children's: only the innermost areas are named on the map.
    const isParent = new Set(preview.parents.map((p) => p.code));
    const named = (code: string, name: string) => (isParent.has(code) ? { show: false } : { ...AREA_LABEL, formatter: name });
    // Drawn outside in: parents (imported or not), what they leave uncovered, then the children on top.
    const shaped = <T extends { geometry: unknown }>(list: T[]) => list.filter((x): x is T & { geometry: NonNullable<T['geometry']> } => !!x.geometry);
    const importedParents = preview.nodes.filter((n) => isParent.has(n.code));
    const importedLeaves = preview.nodes.filter((n) => !isParent.has(n.code));
    const areas = [
      ...shaped(preview.parents).map((p) => ({ name: `p:${p.code}`, geometry: p.geometry })),
      ...shaped(importedParents).map((n) => ({ name: `n:${n.code}`, geometry: n.geometry })),
      ...shaped(preview.gaps).map((g) => ({ name: `g:${g.parentCode}`, geometry: g.geometry })),
      ...shaped(preview.siblings).map((n) => ({ name: `s:${n.code}`, geometry: n.geometry })),
      ...shaped(importedLeaves).map((n) => ({ name: `n:${n.code}`, geometry: n.geometry })),
    ];
    if (areas.length === 0) return null;
    const key = registerAreas(areas);
    const regions: Region[] = [
      ...preview.parents.map((p) => ({ name: `p:${p.code}`, silent: true, itemStyle: { areaColor: '#fafafa', borderColor: '#78909c', borderWidth: 2 }, label: { show: false } })),
      ...preview.gaps.map((g) => ({ name: `g:${g.parentCode}`, silent: true, itemStyle: { areaColor: GAP.color, borderColor: '#e53935', borderWidth: 1, borderType: 'dashed' }, label: { show: false } })),
      ...preview.siblings.map((n) => ({
        name: `s:${n.code}`,
        itemStyle: { areaColor: SIBLING.color, borderColor: overlapping.has(n.code) ? '#d50000' : '#90a4ae', borderWidth: overlapping.has(n.code) ? 3 : 1 },
        label: { ...named(n.code, n.name), color: '#78909c' },
      })),
      ...preview.nodes.map((n) => ({
        name: `n:${n.code}`,
        itemStyle: { areaColor: CHANGE_BANDS[n.change].color, borderColor: overlapping.has(n.code) ? '#d50000' : '#546e7a', borderWidth: overlapping.has(n.code) ? 3 : 1, opacity: 0.9 },
        label: named(n.code, n.name),
      })),
    ];
    // Framed on what is imported (its parents may be far larger); zoom out to see them whole.
    const imported = areas.filter((a) => a.name.startsWith('n:'));
    const box = bboxOfAreas(imported.length ? imported : areas)!;
    const margin = Math.max(box[2] - box[0], box[3] - box[1]) * 0.12;
    const boundingCoords = [
      [box[0] - margin, box[3] + margin],
      [box[2] + margin, box[1] - margin],
    ];
    return { animation: false, geo: geoComponent(key, box, regions, { boundingCoords }) };
  }, [preview]);

  const save = async () => {
    const draft = importDraft();
    if (!draft || saving) return;
    setSaving(true);
    try {
      const result = await importGrids(draft);
      dropImportDraft();
      Taro.eventCenter.trigger(GRIDS_IMPORTED_EVENT, result);
      void Taro.showToast({ title: `已导入：新建 ${result.created} 个，更新 ${result.updated} 个`, icon: 'none' });
      void Taro.navigateBack();
    } catch {
      // toasted by the API layer
    } finally {
      setSaving(false);
    }
  };

  const name = (code: string) => preview?.nodes.find((n) => n.code === code)?.name ?? preview?.parents.find((p) => p.code === code)?.name ?? code;
  const side = preview ? (
    <View className="import-preview__panel">
      <View id="import-preview-summary" className="card">
        <Text className="card-title">将要导入</Text>
        <View className="import-preview__counts">
          新建 {preview.created} 个 · 变更 {preview.changed} 个 · 不变 {preview.unchanged} 个
        </View>
        <Legend title="颜色" bands={[...Object.values(CHANGE_BANDS), ...(preview.siblings.length ? [SIBLING] : []), ...(preview.gaps.length ? [GAP] : []), ...(preview.overlaps.length ? [OVERLAP] : [])]} />
      </View>
      <View id="import-preview-problems" className="card">
        <Text className="card-title">需要留意</Text>
        {preview.overlaps.length === 0 && preview.gaps.length === 0 ? <View className="muted">同级网格互不重叠，下级铺满上级</View> : null}
        {preview.overlaps.map((o) => (
          <View key={o.codes.join('|')} className="import-preview__problem import-preview__overlap">
            {o.names[0]} 与 {o.names[1]} 重叠约 {o.areaM2.toLocaleString()} 平方米
          </View>
        ))}
        {preview.gaps.map((g) => (
          <View key={g.parentCode} className="import-preview__problem import-preview__gap">
            {name(g.parentCode)} 有 {(g.share * 100).toFixed(1)}%（约 {g.areaM2.toLocaleString()} 平方米）不在任何下级网格内
          </View>
        ))}
      </View>
      <View className="card">
        <Text className="card-title">逐条</Text>
        {preview.nodes.map((n) => (
          <View key={n.code} className={`import-preview__node import-preview__node--${n.change}`}>
            <Text className="import-preview__tag" style={{ background: CHANGE_BANDS[n.change].color }}>
              {CHANGE_BANDS[n.change].label.slice(0, 2)}
            </Text>
            <Text>
              {GRID_LEVEL_LABELS[n.level]} {n.name}
            </Text>
            <Text className="muted"> {n.code}</Text>
          </View>
        ))}
      </View>
    </View>
  ) : null;

  return (
    <DeskPage id="import-preview-page" className="import-preview" side={side}>
      {problem ? <View className="card muted">{problem}</View> : null}
      {!preview && !problem ? <View className="card muted">正在预览…</View> : null}
      <View className="card import-preview__canvas-card">
        <MapCanvas id="import-preview-canvas" option={option} />
      </View>
      <View className="import-preview__actions">
        <Button onClick={() => void Taro.navigateBack()}>返回修改</Button>
        <Button id="import-preview-save" type="primary" loading={saving} disabled={!preview || saving} onClick={() => void save()}>
          确认导入
        </Button>
      </View>
    </DeskPage>
  );
}
