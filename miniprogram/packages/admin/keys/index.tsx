import { useCallback, useEffect, useState } from 'react';
import { View, Text } from '@tarojs/components';
import Taro from '@tarojs/taro';
import { Button, Input, Popup } from '@nutui/nutui-react-taro';
import { mayManageOpen311Keys, type GridTreeNode, type Open311KeyView } from '@linli/shared';
import { LoadFailed } from '../../../components/LoadFailed';
import { restricted } from '../../../components/Restricted';
import { createOpen311Key, listOpen311Keys, revokeOpen311Key } from '../../../services/admin';
import { getGridTree } from '../../../services/grids';
import { formatTime } from '../../../utils/time';
import { GridTree } from '../GridTree';
import '../admin.scss';

/** 开放接口密钥: Open311 keys for outside systems (a 12345 hotline…); a new key is shown once. */
function Open311Keys() {
  const [keys, setKeys] = useState<Open311KeyView[] | null>(null);
  const [failed, setFailed] = useState(false);
  const [tree, setTree] = useState<GridTreeNode[]>([]);
  const [name, setName] = useState('');
  const [node, setNode] = useState<GridTreeNode | null>(null);
  const [creating, setCreating] = useState(false);
  const [created, setCreated] = useState<(Open311KeyView & { key: string }) | null>(null);

  const load = useCallback(() => {
    setFailed(false);
    return listOpen311Keys()
      .then(setKeys)
      .catch(() => setFailed(true));
  }, []);
  useEffect(() => {
    void load();
    getGridTree().then(setTree).catch(() => undefined);
  }, [load]);

  const create = async () => {
    if (!node || name.trim().length < 2 || creating) return;
    setCreating(true);
    try {
      setCreated(await createOpen311Key(name.trim(), node.id));
      setName('');
      await load();
    } catch {
      // toasted
    } finally {
      setCreating(false);
    }
  };

  const copy = () => {
    if (created) void Taro.setClipboardData({ data: created.key });
  };

  const revoke = async (key: Open311KeyView) => {
    const { confirm } = await Taro.showModal({
      title: '停用密钥',
      content: `停用「${key.name}」（${key.prefix}…）？停用后使用该密钥的系统将无法再访问。`,
      confirmColor: '#e53935',
    });
    if (!confirm) return;
    try {
      await revokeOpen311Key(key.id);
      void Taro.showToast({ title: '已停用', icon: 'success' });
      await load();
    } catch {
      // toasted
    }
  };

  return (
    <View id="admin-keys-page" className="page admin">
      <View className="muted admin__hint">
        供 12345 热线等外部系统按 Open311 GeoReport v2 提交和查询说事，地址 /open311/v2/。每个密钥只能访问所选网格内的说事。
      </View>

      <View className="section-title">新建密钥</View>
      <View className="card admin__form">
        <Input id="key-name" className="admin__input" value={name} maxLength={60} placeholder="用途，如：12345 热线" onChange={setName} />
        <Text className="admin__label">{node ? `网格：${node.name}` : '选择可访问的网格'}</Text>
        <View id="key-tree" className="admin__tree--picker">
          <GridTree tree={tree} idPrefix="key-node" openDepth={2} selectedId={node?.id ?? null} onSelect={setNode} />
        </View>
        <Button id="key-create" type="primary" block loading={creating} disabled={!node || name.trim().length < 2} onClick={() => void create()}>
          生成密钥
        </Button>
      </View>

      <View className="section-title">已有密钥</View>
      {failed ? <LoadFailed onRetry={() => void load()} /> : null}
      {keys === null && !failed ? <View className="card muted">正在加载…</View> : null}
      {keys?.length === 0 ? <View className="card muted">还没有密钥</View> : null}
      <View id="key-list">
        {(keys ?? []).map((key) => (
          <View key={key.id} id={`key-${key.id}`} className={`card admin__row ${key.revokedAt ? 'is-revoked' : ''}`}>
            <View className="admin__main">
              <Text className="admin__name">
                {key.name} {key.revokedAt ? <Text className="mark mark--plain">已停用</Text> : null}
              </Text>
              <Text className="admin__meta">
                {key.prefix}… · {key.nodeName}
              </Text>
              <Text className="admin__meta">
                {formatTime(key.createdAt)} 创建
                {key.revokedAt ? ` · ${formatTime(key.revokedAt)} 停用` : key.lastUsedAt ? ` · 最近使用 ${formatTime(key.lastUsedAt)}` : ' · 未使用'}
              </Text>
            </View>
            {key.revokedAt ? null : (
              <Button id={`key-revoke-${key.id}`} size="small" onClick={() => void revoke(key)}>
                停用
              </Button>
            )}
          </View>
        ))}
      </View>

      <Popup visible={created !== null} position="center" round closeOnOverlayClick={false} onClose={() => setCreated(null)}>
        <View id="key-created-popup" className="admin__popup admin__popup--center">
          <Text className="admin__popup-title">密钥已生成</Text>
          <Text className="muted">
            {created?.name} · {created?.nodeName}
          </Text>
          <Text id="key-created-value" className="admin__key" userSelect>
            {created?.key}
          </Text>
          <Text className="admin__warn">密钥只显示这一次，请立即复制并妥善保存。</Text>
          <View className="admin__popup-actions">
            <Button id="key-copy" type="primary" onClick={copy}>
              复制
            </Button>
            <Button id="key-created-close" onClick={() => setCreated(null)}>
              我已保存
            </Button>
          </View>
        </View>
      </Popup>
    </View>
  );
}

export default restricted(Open311Keys, mayManageOpen311Keys);
