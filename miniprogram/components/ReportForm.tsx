import { useEffect, useRef, useState, type ReactNode } from 'react';
import { View, Text } from '@tarojs/components';
import Taro from '@tarojs/taro';
import { Button, Input, Switch, TextArea } from '@nutui/nutui-react-taro';
import {
  INTAKE_CHANNELS,
  INTAKE_CHANNEL_LABELS,
  REPORT_STATUS_INFO,
  type CreateReportBody,
  type IntakeChannel,
  type ReportCategory,
  type ReportDetail,
  type ReportSummary,
} from '@linli/shared';
import { usePhotoUploads } from '../hooks/usePhotoUploads';
import { isWeapp } from '../services/auth';
import { chooseOnMap, currentPlace, requestReportSubscription, type Place } from '../services/place';
import { MAP_PICK_PAGE, MAP_PICKED_EVENT } from '../services/map-links';
import { createReport, listCategories, nearbyReports, newIdempotencyKey, reportDetailUrl, runReportAction } from '../services/reports';
import { Choices } from './Choices';
import { PhotoPicker } from './PhotoPicker';
import './ReportForm.scss';

const DESCRIPTION_MIN = 5;
const DESCRIPTION_MAX = 500;

type PlaceMode = 'map' | 'here' | 'home' | 'grid';

/** Whom a staff member files for: the page's own picker, and what it adds to the body (or why it cannot yet). */
export interface FiledFor {
  node: ReactNode;
  fields: () => Pick<CreateReportBody, 'onBehalfOfUserId' | 'caller'> | { problem: string };
}

interface Props {
  /** Staff filing on a resident's behalf: channel picker and whom it is for (`filedFor`); no 我家楼栋. */
  staff?: boolean;
  filedFor?: FiledFor;
  /** The resident has a household (the server can route by it). */
  hasHousehold: boolean;
  onFiled: (report: ReportDetail) => void;
}

/** The 说事 form: category, description, photos, place, anonymous; nearby duplicates; safe resend. */
export function ReportForm({ staff = false, filedFor, hasHousehold, onFiled }: Props) {
  const [categories, setCategories] = useState<ReportCategory[]>([]);
  const [categoriesFailed, setCategoriesFailed] = useState(false);
  const [categoryCode, setCategoryCode] = useState<string | null>(null);
  const [description, setDescription] = useState('');
  const photos = usePhotoUploads();
  const [placeMode, setPlaceMode] = useState<PlaceMode | null>(!staff && hasHousehold && !isWeapp ? 'home' : null);
  const [place, setPlace] = useState<Place | null>(null);
  const [addressNote, setAddressNote] = useState('');
  // WeChat's map and position failed (refused): the grid drawing is offered instead, as on H5.
  const [positionRefused, setPositionRefused] = useState(false);
  const [anonymous, setAnonymous] = useState(false);
  const [channel, setChannel] = useState<IntakeChannel>(staff ? 'walk_in' : 'miniprogram');
  const [nearby, setNearby] = useState<ReportSummary[]>([]);
  const [followed, setFollowed] = useState<number[]>([]);
  const [sending, setSending] = useState(false);
  // One key per draft: every resend of this draft carries it, so the server files it once.
  const idempotencyKey = useRef(newIdempotencyKey());

  const loadCategories = () => {
    setCategoriesFailed(false);
    listCategories()
      .then(setCategories)
      .catch(() => setCategoriesFailed(true));
  };
  useEffect(loadCategories, []);

  useEffect(() => {
    setNearby([]);
    const location = place?.location;
    if (!categoryCode || !location) return;
    let stale = false;
    nearbyReports(location, categoryCode)
      .then((items) => !stale && setNearby(items))
      .catch(() => undefined);
    return () => {
      stale = true;
    };
  }, [categoryCode, place]);

  useEffect(() => {
    if (!staff && !hasHousehold && placeMode === 'home') setPlaceMode(null);
  }, [staff, hasHousehold, placeMode]);

  const pickPlace = async (mode: PlaceMode) => {
    if (mode === 'home') {
      setPlaceMode('home');
      setPlace(null);
      return;
    }
    if (mode === 'grid') {
      // The map page answers through Taro's event centre (it lives in another sub-package).
      Taro.eventCenter.off(MAP_PICKED_EVENT);
      Taro.eventCenter.once(MAP_PICKED_EVENT, (picked: Place) => {
        setPlaceMode('grid');
        setPlace(picked);
      });
      void Taro.navigateTo({ url: MAP_PICK_PAGE });
      return;
    }
    const found = mode === 'map' ? await chooseOnMap() : await currentPlace();
    if (!found) {
      setPositionRefused(true);
      return;
    }
    setPlaceMode(mode);
    setPlace(found);
  };

  const follow = async (report: ReportSummary) => {
    try {
      await runReportAction(report, 'follow', {});
      setFollowed((list) => [...list, report.id]);
      void Taro.showToast({ title: '已+1，办理进展会通知您', icon: 'none' });
    } catch {
      void Taro.showToast({ title: '操作失败，请稍后再试', icon: 'none' });
    }
  };

  const reset = () => {
    idempotencyKey.current = newIdempotencyKey();
    setDescription('');
    photos.clear();
    setPlace(null);
    setPlaceMode(!staff && hasHousehold && !isWeapp ? 'home' : null);
    setAddressNote('');
    setAnonymous(false);
    setNearby([]);
    setFollowed([]);
  };

  const problem = (): string | null => {
    if (!categoryCode) return '请选择问题类别';
    if (description.trim().length < DESCRIPTION_MIN) return `请描述问题，至少 ${DESCRIPTION_MIN} 个字`;
    if (photos.uploading) return '照片还在上传，请稍候';
    if (photos.failed) return '有照片上传失败，请点击重试或删除';
    const whom = filedFor?.fields();
    if (whom && 'problem' in whom) return whom.problem;
    if (!place?.location && placeMode !== 'home' && !addressNote.trim()) return '请选择位置或填写地址';
    return null;
  };

  const submit = async () => {
    if (sending) return;
    const message = problem();
    if (message) {
      void Taro.showToast({ title: message, icon: 'none' });
      return;
    }
    const whom = filedFor?.fields() ?? {};
    setSending(true);
    try {
      if (!staff) await requestReportSubscription();
      const address = [place?.address, addressNote.trim()].filter(Boolean).join(' ').slice(0, 200);
      const body: CreateReportBody = {
        categoryCode: categoryCode as string,
        description: description.trim(),
        photos: photos.urls,
        anonymous: !staff && anonymous,
        channel,
        ...(place?.location ? { location: place.location } : {}),
        ...(address ? { address } : {}),
        ...(staff && !('problem' in whom) ? whom : {}),
      };
      const report = await createReport(body, idempotencyKey.current);
      reset();
      onFiled(report);
    } catch {
      // The API client showed the error; the draft and its key stay for another try.
    } finally {
      setSending(false);
    }
  };

  const placeChoices: Array<{ key: PlaceMode; label: string }> = [
    ...(isWeapp ? [{ key: 'map' as const, label: '地图选点' }, { key: 'here' as const, label: '当前位置' }] : []),
    ...(!isWeapp || positionRefused ? [{ key: 'grid' as const, label: '在网格图上点选' }] : []),
    ...(!staff && hasHousehold ? [{ key: 'home' as const, label: '使用我家楼栋位置' }] : []),
  ];

  return (
    <View id="report-form" className="report-form">
      {staff ? (
        <>
          <View className="section-title">登记渠道</View>
          <Choices
            idPrefix="report-channel"
            items={INTAKE_CHANNELS.map((key) => ({ key, label: INTAKE_CHANNEL_LABELS[key] }))}
            selected={channel}
            onSelect={setChannel}
          />
          {filedFor?.node}
        </>
      ) : null}

      <View className="section-title">1. 什么问题</View>
      {categoriesFailed ? (
        <View className="card muted" onClick={loadCategories}>
          类别加载失败，点击重试
        </View>
      ) : null}
      {!categoriesFailed && categories.length === 0 ? <View className="card muted">正在加载类别…</View> : null}
      <Choices
        idPrefix="report-category"
        items={categories.map((category) => ({ key: category.code, label: category.name }))}
        selected={categoryCode}
        onSelect={setCategoryCode}
      />

      <View className="section-title">2. 说说情况</View>
      <View id="report-description" className="card report-form__field">
        <TextArea
          placeholder="发生了什么、在哪里、持续多久了……"
          value={description}
          onChange={(value) => setDescription(value)}
          maxLength={DESCRIPTION_MAX}
          showCount
          rows={4}
          autoSize
        />
      </View>

      <View className="section-title">3. 拍照（最多 {photos.max} 张，可不拍）</View>
      <View className="card">
        <PhotoPicker uploads={photos} idPrefix="report" />
      </View>

      <View className="section-title">4. 在哪里</View>
      <View className="card report-form__place">
        {placeChoices.length > 0 ? (
          <Choices idPrefix="report-place" items={placeChoices} selected={placeMode} onSelect={(mode) => void pickPlace(mode)} wide={placeChoices.length === 1} />
        ) : null}
        {place ? (
          <View id="report-place-picked" className="report-form__picked">
            📍 {place.address}
          </View>
        ) : null}
        {placeMode === 'home' ? <View className="muted report-form__hint">将按您家楼栋所在网格派给网格员</View> : null}
        <View id="report-address" className="report-form__address">
          <Input
            placeholder={place ? '补充说明，如：3号楼东侧车棚' : '详细地址，如：3号楼东侧车棚'}
            value={addressNote}
            maxLength={100}
            onChange={(value) => setAddressNote(value)}
          />
        </View>
      </View>

      {nearby.length > 0 ? (
        <View id="report-nearby" className="card report-form__nearby">
          <Text className="card-title">附近已有 {nearby.length} 条同类问题</Text>
          <View className="muted">如果是同一件事，点「我也遇到了」即可，不用重复提交。</View>
          {nearby.map((report) => (
            <View key={report.id} className="report-form__nearby-item nearby-report">
              <View
                className="report-form__nearby-main"
                // A neighbour's report opens only once followed (the server shows residents their own and followed ones).
                onClick={() => followed.includes(report.id) && void Taro.navigateTo({ url: reportDetailUrl(report.id) })}
              >
                <Text className="report-form__nearby-text">{report.description}</Text>
                <Text className="muted">
                  {REPORT_STATUS_INFO[report.status].label} · {report.followers}人也遇到 · {report.address ?? ''}
                </Text>
              </View>
              {followed.includes(report.id) ? (
                <Text className="report-form__followed">已+1</Text>
              ) : (
                <Button className="nearby-follow" size="small" type="primary" fill="outline" onClick={() => void follow(report)}>
                  我也遇到了 +1
                </Button>
              )}
            </View>
          ))}
        </View>
      ) : null}

      {!staff ? (
        <View className="card report-form__anonymous">
          <View className="report-form__anonymous-text">
            <Text className="report-form__anonymous-title">匿名</Text>
            <Text className="muted">网格员看不到您的姓名</Text>
          </View>
          <View id="report-anonymous">
            <Switch checked={anonymous} onChange={(value) => setAnonymous(value)} aria-label="匿名" />
          </View>
        </View>
      ) : null}

      <View className="block-button">
        <Button id="report-submit" type="primary" size="large" block loading={sending} disabled={sending} onClick={() => void submit()}>
          {sending ? '正在提交…' : staff ? '登记' : '提交'}
        </Button>
      </View>
    </View>
  );
}
