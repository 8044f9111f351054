import { useEffect, useMemo, useState } from 'react';
import { View } from '@tarojs/components';
import Taro from '@tarojs/taro';
import { Button, Popup, TextArea } from '@nutui/nutui-react-taro';
import { BALLOT_METHODS, VOTE_METHOD_LABELS, type BallotMethod, type BuildingSummary, type ConsultationDetail, type HouseholdSummary } from '@linli/shared';
import { Choices } from '../../../components/Choices';
import { PhotoPicker } from '../../../components/PhotoPicker';
import { usePhotoUploads } from '../../../hooks/usePhotoUploads';
import { listBuildings, listHouseholds } from '../../../services/grids';
import type { ConsultationActionBody } from '../../../services/consultations';

interface Props {
  consultation: ConsultationDetail;
  busy: boolean;
  onClose: () => void;
  onSubmit: (body: ConsultationActionBody<'ballot'>) => Promise<boolean>;
}

const PHOTO_HINTS: Record<BallotMethod, string> = {
  paper: '书面表决票照片（可不拍，建议留存）',
  proxy: '业主签字的授权委托书照片（必填）',
};

/**
 * Staff record a household's paper ballot (书面表决) or its owner's proxy (委托投票): the flat by
 * building, unit and room of the consultation's scope, the option, the photos, a note.
 */
export function BallotForm({ consultation, busy, onClose, onSubmit }: Props) {
  const [buildings, setBuildings] = useState<BuildingSummary[]>([]);
  const [building, setBuilding] = useState<BuildingSummary | null>(null);
  const [unit, setUnit] = useState<string | null>(null);
  const [households, setHouseholds] = useState<HouseholdSummary[]>([]);
  const [household, setHousehold] = useState<HouseholdSummary | null>(null);
  const [optionId, setOptionId] = useState<number | null>(null);
  const [method, setMethod] = useState<BallotMethod>('paper');
  const [note, setNote] = useState('');
  const [loading, setLoading] = useState(true);
  const photos = usePhotoUploads();

  useEffect(() => {
    let stale = false;
    listBuildings(consultation.scopeNodeId)
      .then((items) => {
        if (stale) return;
        const inScope = consultation.buildingId ? items.filter((b) => b.id === consultation.buildingId) : items;
        setBuildings(inScope);
        if (inScope.length === 1) setBuilding(inScope[0]);
      })
      .catch(() => undefined)
      .finally(() => !stale && setLoading(false));
    return () => {
      stale = true;
    };
  }, [consultation.scopeNodeId, consultation.buildingId]);

  useEffect(() => {
    setUnit(building && building.units.length === 1 ? building.units[0] : null);
    setHouseholds([]);
    if (!building) return undefined;
    let stale = false;
    listHouseholds(building.id)
      .then((items) => !stale && setHouseholds(items))
      .catch(() => undefined);
    return () => {
      stale = true;
    };
  }, [building]);

  useEffect(() => setHousehold(null), [unit, building]);
  const rooms = useMemo(() => households.filter((h) => h.unit === unit), [households, unit]);

  const toast = (title: string) => void Taro.showToast({ title, icon: 'none' });
  const submit = () => {
    if (!household) return toast('请选择房号');
    if (!optionId) return toast('请选择该户的意见');
    if (photos.uploading) return toast('照片还在上传，请稍候');
    if (photos.failed) return toast('有照片上传失败，请重试或删除');
    if (method === 'proxy' && photos.urls.length === 0) return toast('委托投票须上传业主签字的委托书照片');
    return onSubmit({ householdId: household.id, optionId, method, photos: photos.urls, ...(note.trim() ? { note: note.trim() } : {}) });
  };

  return (
    <Popup visible position="bottom" round closeable title="代录书面表决 / 委托投票" onClose={onClose} destroyOnClose>
      <View id="form-ballot" className="action-form">
        <View className="muted action-form__hint">每户一票：代录后替换该户此前的投票，时间线上会写明由您代录。</View>
        {buildings.length > 1 ? (
          <>
            <View className="action-form__label">楼栋</View>
            <Choices idPrefix="ballot-building" small items={buildings.map((b) => ({ key: b.id, label: b.name }))} selected={building?.id ?? null} onSelect={(id) => setBuilding(buildings.find((b) => b.id === id) ?? null)} />
          </>
        ) : null}
        {loading ? <View className="muted action-form__hint">正在加载楼栋…</View> : null}
        {building ? (
          <>
            <View className="action-form__label">{building.name} · 单元</View>
            <Choices
              idPrefix="ballot-unit"
              small
              items={building.units.map((name, index) => ({ key: index, label: name }))}
              selected={unit === null ? null : building.units.indexOf(unit)}
              onSelect={(index) => setUnit(building.units[index] ?? null)}
            />
          </>
        ) : null}
        {building && unit !== null ? (
          <>
            <View className="action-form__label">房号</View>
            <Choices idPrefix="ballot-room" small items={rooms.map((h) => ({ key: h.id, label: h.room }))} selected={household?.id ?? null} onSelect={(id) => setHousehold(rooms.find((h) => h.id === id) ?? null)} />
          </>
        ) : null}

        <View className="action-form__label">该户的意见</View>
        <Choices idPrefix="ballot-option" small items={consultation.options.map((o) => ({ key: o.id, label: o.label }))} selected={optionId} onSelect={setOptionId} />

        <View className="action-form__label">方式</View>
        <Choices idPrefix="ballot-method" small items={BALLOT_METHODS.map((key) => ({ key, label: VOTE_METHOD_LABELS[key] }))} selected={method} onSelect={setMethod} />

        <View className="action-form__label">{PHOTO_HINTS[method]}</View>
        <PhotoPicker uploads={photos} idPrefix="ballot" />

        <View id="ballot-note" className="action-form__note">
          <TextArea placeholder="备注（可不填），如：业主本人签字、委托其子代为投票" value={note} onChange={setNote} maxLength={200} showCount rows={2} autoSize />
        </View>

        <View className="action-form__submit">
          <Button id="ballot-submit" type="primary" size="large" block loading={busy} disabled={busy} onClick={() => void submit()}>
            {household ? `确定代录 ${household.label}` : '确定代录'}
          </Button>
        </View>
      </View>
    </Popup>
  );
}
