import { useCallback, useEffect, useMemo, useState } from 'react';
import { View, Text } from '@tarojs/components';
import Taro from '@tarojs/taro';
import { Button, TextArea } from '@nutui/nutui-react-taro';
import { CANNED_REPLY_KINDS, CANNED_REPLY_KIND_LABELS, capabilityNodeIds, mayManageCannedReplies, type CannedReply, type CannedReplyKind, type GridTreeNode } from '@linli/shared';
import { Choices } from '../../../components/Choices';
import { restricted } from '../../../components/Restricted';
import { useMe } from '../../../hooks/useMe';
import { getGridTree, nodesOfLevel } from '../../../services/grids';
import { addCannedReply, listCannedReplies, removeCannedReply } from '../../../services/reports';
import './index.scss';

/** The communities under what the user holds the capability on (a secretary: theirs; an admin: each below). */
function communitiesHeld(tree: GridTreeNode[], held: number[]): GridTreeNode[] {
  const under = (node: GridTreeNode, inside: boolean): GridTreeNode[] => {
    const mine = inside || held.includes(node.id);
    if (node.level === 'community') return mine ? [node] : [];
    return (node.children ?? []).flatMap((child) => under(child, mine));
  };
  const found = tree.flatMap((node) => under(node, false));
  // A secretary held below community level (rare) still reaches its community through any node of it.
  return found.length ? found : nodesOfLevel(tree, 'community').filter((node) => held.includes(node.id));
}

/** 常用语: the secretary keeps the community's canned replies that staff pick from with one tap. */
function CannedReplies() {
  const { me } = useMe();
  const [tree, setTree] = useState<GridTreeNode[]>([]);
  const [communityId, setCommunityId] = useState<number | null>(null);
  const [kind, setKind] = useState<CannedReplyKind>('resolve');
  const [replies, setReplies] = useState<CannedReply[] | null>(null);
  const [text, setText] = useState('');

  useEffect(() => {
    getGridTree().then(setTree).catch(() => undefined);
  }, []);
  const communities = useMemo(() => (me ? communitiesHeld(tree, capabilityNodeIds(me, 'manageCannedReplies')) : []), [me, tree]);
  useEffect(() => {
    if (communityId === null && communities.length) setCommunityId(communities[0].id);
  }, [communities, communityId]);

  const load = useCallback(() => {
    if (communityId === null) return;
    setReplies(null);
    listCannedReplies(communityId, kind).then(setReplies).catch(() => setReplies([]));
  }, [communityId, kind]);
  useEffect(load, [load]);

  const add = async () => {
    if (communityId === null || text.trim().length < 2) return void Taro.showToast({ title: '请至少写 2 个字', icon: 'none' });
    try {
      await addCannedReply({ nodeId: communityId, kind, text: text.trim() });
      setText('');
      load();
    } catch {
      // toasted
    }
  };
  const remove = async (reply: CannedReply) => {
    const { confirm } = await Taro.showModal({ title: '删除常用语', content: reply.text, confirmColor: '#e8552d' });
    if (!confirm) return;
    await removeCannedReply(reply.id).then(load, () => undefined);
  };

  return (
    <View id="canned-page" className="page">
      {communities.length > 1 ? <Choices idPrefix="canned-community" small items={communities.map((node) => ({ key: node.id, label: node.name }))} selected={communityId} onSelect={setCommunityId} /> : null}
      <Choices idPrefix="canned-kind" small items={CANNED_REPLY_KINDS.map((key) => ({ key, label: CANNED_REPLY_KIND_LABELS[key] }))} selected={kind} onSelect={setKind} />
      <View className="card">
        {replies === null ? <View className="muted">正在加载…</View> : null}
        {replies?.length === 0 ? <View className="muted">还没有{CANNED_REPLY_KIND_LABELS[kind]}的常用语</View> : null}
        {(replies ?? []).map((reply) => (
          <View key={reply.id} id={`canned-${reply.id}`} className="canned__row">
            <Text className="canned__text">{reply.text}</Text>
            <Text className="canned__remove" onClick={() => void remove(reply)}>
              删除
            </Text>
          </View>
        ))}
      </View>
      <View id="canned-text" className="card">
        <TextArea placeholder="新的常用语，办理时一点即填入，可再修改" value={text} onChange={setText} maxLength={200} showCount rows={2} />
      </View>
      <Button id="canned-add" type="primary" block onClick={() => void add()}>
        添加
      </Button>
    </View>
  );
}

export default restricted(CannedReplies, mayManageCannedReplies);
