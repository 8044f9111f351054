import { useEffect, useMemo, useState } from 'react';
import { View, Text, Picker } from '@tarojs/components';
import Taro from '@tarojs/taro';
import { Button, Input, Switch, TextArea } from '@nutui/nutui-react-taro';
import { ANNOUNCEMENT_BODY_MAX, ANNOUNCEMENT_TITLE_MAX, capabilityNodeIds, GRID_LEVEL_LABELS, mayPostAnnouncements, type BuildingSummary, type GridTreeNode } from '@linli/shared';
import { Choices } from '../../../components/Choices';
import { PhotoPicker } from '../../../components/PhotoPicker';
import { restricted } from '../../../components/Restricted';
import { usePageClass } from '../../../hooks/useElderMode';
import { useMe } from '../../../hooks/useMe';
import { usePhotoUploads } from '../../../hooks/usePhotoUploads';
import { getGridTree, listBuildings } from '../../../services/grids';
import { NOTICE_PAGE, postNotice } from '../../../services/notices';
import '../notices.scss';

type Place = { key: string; label: string; nodeId?: number; buildingId?: number };

/** The nodes of the tree at community level or below that lie in one of `scopeIds`' subtrees. */
function placesIn(tree: GridTreeNode[], scopeIds: number[]): GridTreeNode[] {
  const found: GridTreeNode[] = [];
  const walk = (nodes: GridTreeNode[], inScope: boolean) => {
    for (const node of nodes) {
      const here = inScope || scopeIds.includes(node.id);
      if (here && ['community', 'grid', 'microgrid'].includes(node.level)) found.push(node);
      walk(node.children ?? [], here);
    }
  };
  walk(tree, false);
  return found;
}

/** 发布公告: to a community, grid, micro-grid or building within the caller's scope; its residents are told. */
function NewNotice() {
  const className = usePageClass('page notice-new');
  const { me } = useMe();
  const [places, setPlaces] = useState<Place[]>([]);
  const [place, setPlace] = useState<string | null>(null);
  const [title, setTitle] = useState('');
  const [body, setBody] = useState('');
  const [pinned, setPinned] = useState(false);
  const [endsOn, setEndsOn] = useState('');
  const [sending, setSending] = useState(false);
  const uploads = usePhotoUploads(6);
  const scopeIds = useMemo(() => (me ? capabilityNodeIds(me, 'postAnnouncements') : []), [me]);

  useEffect(() => {
    if (!scopeIds.length) return;
    void (async () => {
      const nodes = placesIn(await getGridTree(), scopeIds);
      const found: Place[] = nodes.map((n) => ({ key: `node-${n.id}`, label: `${n.name}（${GRID_LEVEL_LABELS[n.level]}）`, nodeId: n.id }));
      const microgrids = new Set(nodes.filter((n) => n.level === 'microgrid').map((n) => n.id));
      for (const community of nodes.filter((n) => n.level === 'community').slice(0, 3)) {
        const buildings: BuildingSummary[] = await listBuildings(community.id);
        for (const b of buildings.filter((x) => microgrids.has(x.microgridId))) found.push({ key: `building-${b.id}`, label: b.name, buildingId: b.id });
      }
      setPlaces(found);
      setPlace((current) => current ?? found[0]?.key ?? null);
    })().catch(() => undefined);
  }, [scopeIds]);

  const chosen = places.find((p) => p.key === place);
  const ready = !!chosen && title.trim().length >= 2 && body.trim().length >= 2 && !uploads.uploading && !sending;

  const submit = async () => {
    if (!chosen || !ready) return;
    setSending(true);
    try {
      const posted = await postNotice({
        ...(chosen.buildingId ? { buildingId: chosen.buildingId } : { nodeId: chosen.nodeId! }),
        title: title.trim(),
        body: body.trim(),
        photos: uploads.urls,
        pinned,
        ...(endsOn ? { endsAt: new Date(`${endsOn}T23:59:59+08:00`).toISOString() } : {}),
      });
      void Taro.showToast({ title: '已发布，居民会收到通知', icon: 'none' });
      await Taro.redirectTo({ url: `${NOTICE_PAGE}?id=${posted.id}` });
    } catch {
      // the API client showed why
    } finally {
      setSending(false);
    }
  };

  return (
    <View id="notice-new-page" className={className}>
      <View className="card">
        <View className="notice-new__field">
          <Text className="notice-new__label">发给谁</Text>
          <Choices idPrefix="notice-place" items={places.map((p) => ({ key: p.key, label: p.label }))} selected={place} onSelect={setPlace} wide />
        </View>
        <View className="notice-new__field">
          <Text className="notice-new__label">标题</Text>
          <Input id="notice-title-input" placeholder="如：6 月 3 日上午停水通知" value={title} maxLength={ANNOUNCEMENT_TITLE_MAX} onChange={setTitle} aria-label="标题" />
        </View>
        <View className="notice-new__field">
          <Text className="notice-new__label">内容</Text>
          <TextArea id="notice-body-input" placeholder="写清时间、地点和需要居民做的事" value={body} maxLength={ANNOUNCEMENT_BODY_MAX} rows={6} onChange={setBody} aria-label="内容" />
        </View>
        <View className="notice-new__field">
          <Text className="notice-new__label">图片（可不加）</Text>
          <PhotoPicker uploads={uploads} idPrefix="notice" />
        </View>
        <View className="notice-new__field notice-new__switch">
          <Text>置顶</Text>
          <Switch id="notice-pinned" checked={pinned} onChange={setPinned} aria-label="置顶" />
        </View>
        <View className="notice-new__field">
          <Text className="notice-new__label">结束日期（之后居民不再看到；可不填）</Text>
          <Picker mode="date" value={endsOn} onChange={(event) => setEndsOn(String(event.detail.value))}>
            <View id="notice-ends" className="card-title">
              {endsOn || '不设结束日期'}
            </View>
          </Picker>
        </View>
        <Button id="notice-submit" type="primary" size="large" block disabled={!ready} loading={sending} onClick={() => void submit()}>
          发布
        </Button>
      </View>
    </View>
  );
}

export default restricted(NewNotice, mayPostAnnouncements);
