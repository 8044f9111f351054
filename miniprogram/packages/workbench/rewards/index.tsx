import { useCallback, useEffect, useState } from 'react';
import { View, Text, Image } from '@tarojs/components';
import Taro, { usePullDownRefresh } from '@tarojs/taro';
import { Button, Input, TextArea } from '@nutui/nutui-react-taro';
import { IMAGE_REVIEW_LABELS, mayManageRewards, type CreateRewardBody, type Reward, type UpdateRewardBody } from '@linli/shared';
import { LoadFailed } from '../../../components/LoadFailed';
import { PhotoPicker } from '../../../components/PhotoPicker';
import { restricted } from '../../../components/Restricted';
import { usePhotoUploads } from '../../../hooks/usePhotoUploads';
import { ensureSession } from '../../../services/auth';
import { createReward, listRewards, updateReward } from '../../../services/points';
import { mediaUrl } from '../../../services/uploads';
import './index.scss';

interface Draft {
  /** null: a new reward */
  id: number | null;
  name: string;
  cost: string;
  stock: string;
  description: string;
  imageUrl: string | null;
}

const EMPTY: Draft = { id: null, name: '', cost: '', stock: '', description: '', imageUrl: null };

/** 奖品管理: the secretary puts rewards on the community's shelf, edits them, restocks, takes them off. */
function RewardsAdmin() {
  const [rewards, setRewards] = useState<Reward[] | null>(null);
  const [failed, setFailed] = useState(false);
  const [draft, setDraft] = useState<Draft | null>(null);
  const [sending, setSending] = useState(false);
  const photo = usePhotoUploads(1);

  const load = useCallback(async () => {
    if (!(await ensureSession())) return;
    setFailed(false);
    try {
      setRewards(await listRewards(true));
    } catch {
      setFailed(true);
    }
  }, []);
  useEffect(() => {
    void load();
  }, [load]);
  usePullDownRefresh(() => void load().finally(() => Taro.stopPullDownRefresh()));

  const open = (reward: Reward | null) => {
    photo.clear();
    setDraft(
      reward
        ? { id: reward.id, name: reward.name, cost: String(reward.cost), stock: String(reward.stock), description: reward.description ?? '', imageUrl: reward.imageUrl }
        : EMPTY,
    );
    void Taro.pageScrollTo({ scrollTop: 0, duration: 200 });
  };
  const patch = (change: Partial<Draft>) => setDraft((d) => (d ? { ...d, ...change } : d));

  const save = async () => {
    if (!draft || sending) return;
    const cost = Number(draft.cost);
    const stock = Number(draft.stock);
    const problem = !draft.name.trim()
      ? '请填写奖品名称'
      : !Number.isInteger(cost) || cost < 1
        ? '所需积分须为正整数'
        : !Number.isInteger(stock) || stock < 0
          ? '库存须为 0 或正整数'
          : photo.uploading
            ? '图片还在上传，请稍候'
            : null;
    if (problem) {
      void Taro.showToast({ title: problem, icon: 'none' });
      return;
    }
    const imageUrl = photo.urls[0] ?? draft.imageUrl;
    setSending(true);
    try {
      let saved: Reward;
      if (draft.id === null) {
        const body: CreateRewardBody = { name: draft.name.trim(), cost, stock, description: draft.description.trim() || undefined, imageUrl: imageUrl ?? undefined };
        saved = await createReward(body);
      } else {
        const body: UpdateRewardBody = { name: draft.name.trim(), cost, stock, description: draft.description.trim(), imageUrl };
        saved = await updateReward(draft.id, body);
      }
      // A picture still being checked (or refused) is not yet shown to residents: say so now.
      const review = saved.imageReview && saved.imageReview !== 'passed' ? IMAGE_REVIEW_LABELS[saved.imageReview] : null;
      if (review) void Taro.showModal({ title: '已保存', content: review, showCancel: false });
      else void Taro.showToast({ title: '已保存', icon: 'success' });
      setDraft(null);
      photo.clear();
    } catch {
      // toasted
    } finally {
      setSending(false);
      void load();
    }
  };

  const toggle = async (reward: Reward) => {
    try {
      await updateReward(reward.id, { active: !reward.active });
      void Taro.showToast({ title: reward.active ? '已下架' : '已上架', icon: 'none' });
    } catch {
      // toasted
    } finally {
      void load();
    }
  };

  return (
    <View id="rewards-admin-page" className="page rewards-admin">
      {draft ? (
        <View id="reward-form" className="card rewards-admin__form">
          <Text className="card-title">{draft.id === null ? '新增奖品' : '编辑奖品'}</Text>
          <View className="rewards-admin__row">
            <Text className="rewards-admin__label">名称</Text>
            <Input id="reward-name" placeholder="如：洗衣液" value={draft.name} maxLength={40} onChange={(name) => patch({ name })} />
          </View>
          <View className="rewards-admin__row">
            <Text className="rewards-admin__label">所需积分</Text>
            <Input id="reward-cost" type="number" placeholder="如：50" value={draft.cost} onChange={(cost) => patch({ cost })} />
          </View>
          <View className="rewards-admin__row">
            <Text className="rewards-admin__label">库存</Text>
            <Input id="reward-stock" type="number" placeholder="如：30" value={draft.stock} onChange={(stock) => patch({ stock })} />
          </View>
          <View className="rewards-admin__row rewards-admin__row--top">
            <Text className="rewards-admin__label">说明</Text>
            <TextArea placeholder="规格、领取地点…（选填）" value={draft.description} maxLength={500} rows={2} autoSize onChange={(description) => patch({ description })} />
          </View>
          <View className="rewards-admin__row rewards-admin__row--top">
            <Text className="rewards-admin__label">图片</Text>
            <View className="rewards-admin__photo">
              {draft.imageUrl && photo.photos.length === 0 ? (
                <View className="rewards-admin__current">
                  <Image className="rewards-admin__current-image" src={mediaUrl(draft.imageUrl)} mode="aspectFill" aria-label="当前图片" nativeProps={{ alt: '当前图片' }} />
                  <Text className="rewards-admin__remove" onClick={() => patch({ imageUrl: null })}>
                    移除
                  </Text>
                </View>
              ) : (
                <PhotoPicker uploads={photo} idPrefix="reward" />
              )}
            </View>
          </View>
          <View className="rewards-admin__buttons">
            <Button size="large" onClick={() => setDraft(null)}>
              取消
            </Button>
            <Button id="reward-save" type="primary" size="large" loading={sending} disabled={sending} onClick={() => void save()}>
              保存
            </Button>
          </View>
        </View>
      ) : (
        <View className="rewards-admin__add">
          <Button id="reward-add" type="primary" size="large" block onClick={() => open(null)}>
            新增奖品
          </Button>
        </View>
      )}

      {failed ? <LoadFailed onRetry={() => void load()} /> : null}
      <View id="rewards-admin-list">
        {(rewards ?? []).map((reward) => (
          <View key={reward.id} id={`admin-reward-${reward.id}`} className={`card rewards-admin__item ${reward.active ? '' : 'is-off'}`}>
            {reward.imageUrl ? (
              <Image className="rewards-admin__image" src={mediaUrl(reward.imageUrl)} mode="aspectFill" aria-label={reward.name} nativeProps={{ alt: reward.name }} />
            ) : (
              <View className="rewards-admin__image rewards-admin__image--empty">{reward.name.slice(0, 1)}</View>
            )}
            <View className="rewards-admin__main">
              <Text className="rewards-admin__name">
                {reward.name}
                {reward.active ? '' : '（已下架）'}
              </Text>
              <Text className="muted">
                {reward.cost} 积分 · 库存 <Text className={reward.stock === 0 ? 'rewards-admin__zero' : ''}>{reward.stock}</Text>
                {reward.stock === 0 ? '（已兑完）' : ''}
              </Text>
              {reward.imageReview && reward.imageReview !== 'passed' ? (
                <Text id={`admin-reward-${reward.id}-review`} className={`rewards-admin__review is-${reward.imageReview}`}>
                  {IMAGE_REVIEW_LABELS[reward.imageReview]}
                </Text>
              ) : null}
              <View className="rewards-admin__links">
                <Text id={`admin-reward-${reward.id}-edit`} className="rewards-admin__link" onClick={() => open(reward)}>
                  编辑
                </Text>
                <Text id={`admin-reward-${reward.id}-toggle`} className="rewards-admin__link" onClick={() => void toggle(reward)}>
                  {reward.active ? '下架' : '上架'}
                </Text>
              </View>
            </View>
          </View>
        ))}
        {rewards && rewards.length === 0 ? <View className="card empty-card muted">还没有奖品</View> : null}
      </View>
    </View>
  );
}

export default restricted(RewardsAdmin, mayManageRewards);
