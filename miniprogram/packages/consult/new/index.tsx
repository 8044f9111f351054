import { useState } from 'react';
import { View, Text } from '@tarojs/components';
import Taro from '@tarojs/taro';
import { Button, Input, TextArea } from '@nutui/nutui-react-taro';
import { DEFAULT_SUPPORT_THRESHOLD, mayPropose, type ConsultationScope, type CreateConsultationBody } from '@linli/shared';
import { Choices } from '../../../components/Choices';
import { restricted } from '../../../components/Restricted';
import { useMe } from '../../../hooks/useMe';
import { consultDetailUrl, createConsultation } from '../../../services/consultations';
import { pathName } from '../../../services/me';
import { toastSubmitted } from '../../../services/moderation';
import './index.scss';
import { pageClass } from '../../../hooks/useElderMode';

const TITLE_MIN = 4;
const TITLE_MAX = 60;
const DESCRIPTION_MIN = 10;
const DESCRIPTION_MAX = 3000;

const SCOPE_PREFIX: Record<ConsultationScope, string> = { building: '本楼栋', microgrid: '本微网格', community: '本社区' };

/** 提议题: a resident proposes a matter for their building (default), micro-grid or community. */
function NewConsultation() {
  const { me } = useMe();
  const [title, setTitle] = useState('');
  const [description, setDescription] = useState('');
  const [scope, setScope] = useState<ConsultationScope>('building');
  const [sending, setSending] = useState(false);
  const household = me?.household ?? null;

  const nodeId = (level: 'microgrid' | 'community') => household?.path.find((entry) => entry.level === level)?.id ?? null;
  const scopeName = (key: ConsultationScope) =>
    !household ? '' : key === 'building' ? household.buildingName : (pathName(household, key) ?? '');
  const scopes = (['building', 'microgrid', 'community'] as const).filter((key) => key === 'building' || nodeId(key) !== null);

  const problem = (): string | null => {
    if (!household) return '请先绑定住户';
    if (title.trim().length < TITLE_MIN) return `议题名称至少 ${TITLE_MIN} 个字`;
    if (description.trim().length < DESCRIPTION_MIN) return `请把事情说清楚，至少 ${DESCRIPTION_MIN} 个字`;
    return null;
  };

  const submit = async () => {
    if (sending) return;
    const message = problem();
    if (message) {
      void Taro.showToast({ title: message, icon: 'none' });
      return;
    }
    setSending(true);
    try {
      const body: CreateConsultationBody = { title: title.trim(), description: description.trim() };
      if (scope !== 'building') body.scopeNodeId = nodeId(scope) ?? undefined;
      const created = await createConsultation(body);
      toastSubmitted(created, '已发起', 'consultation');
      void Taro.redirectTo({ url: consultDetailUrl(created.id) });
    } catch {
      // The API client showed the error; the draft stays for another try.
    } finally {
      setSending(false);
    }
  };

  if (me && !household) {
    return (
      <View id="consult-new-page" className={pageClass('page')}>
        <View className="card empty-card">
          <Text className="card-title">请先绑定住户</Text>
          <View className="muted">议题在您家的楼栋、微网格或社区里发起，由邻居们联名、表决。</View>
          <View className="block-button">
            <Button type="primary" block onClick={() => void Taro.navigateTo({ url: '/pages/bind/index' })}>
              绑定住户
            </Button>
          </View>
        </View>
      </View>
    );
  }

  return (
    <View id="consult-new-page" className={pageClass('page consult-new')}>
      <View className="card consult-new__how">
        <Text className="consult-new__how-title">议事怎么走</Text>
        <View className="consult-new__steps">
          {['提议题', '邻居联名', '书记审议', '协商表决', '落实公示'].map((step, index) => (
            <View key={step} className="consult-new__step">
              <Text className="consult-new__step-no">{index + 1}</Text>
              <Text className="consult-new__step-name">{step}</Text>
            </View>
          ))}
        </View>
        <View className="muted">
          发起后需有 {DEFAULT_SUPPORT_THRESHOLD} 户（含您家）联名支持，才会提交社区书记审议；审议通过后，范围内每户一票表决。
        </View>
      </View>

      <View className="section-title">1. 议题名称</View>
      <View id="consult-title" className="card consult-new__field">
        <Input placeholder="如：1号楼加装电梯" value={title} maxLength={TITLE_MAX} onChange={(value) => setTitle(value)} />
        <Text className="consult-new__count">
          {title.trim().length}/{TITLE_MAX}
        </Text>
      </View>

      <View className="section-title">2. 说说缘由和想法</View>
      <View id="consult-description" className="card consult-new__field">
        <TextArea
          placeholder="现在有什么问题、想怎么办、大概要花多少钱、谁来出……说得越清楚，邻居越好拿主意"
          value={description}
          onChange={(value) => setDescription(value)}
          maxLength={DESCRIPTION_MAX}
          showCount
          rows={6}
          autoSize
        />
      </View>

      <View className="section-title">3. 在哪个范围商量</View>
      <Choices
        idPrefix="consult-scope"
        wide
        items={scopes.map((key) => ({ key, label: `${SCOPE_PREFIX[key]} · ${scopeName(key)}` }))}
        selected={scope}
        onSelect={setScope}
      />
      <View className="muted consult-new__hint">只有这个范围内的住户可以联名和投票，每户一票。</View>

      <View className="block-button">
        <Button id="consult-submit" type="primary" size="large" block loading={sending} disabled={sending} onClick={() => void submit()}>
          {sending ? '正在提交…' : '发起议题'}
        </Button>
      </View>
    </View>
  );
}

export default restricted(NewConsultation, mayPropose);
