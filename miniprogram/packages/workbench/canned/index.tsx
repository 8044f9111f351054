import { useCallback, useEffect, useMemo, useState } from 'react';
import { View, Text } from '@tarojs/components';
import Taro from '@tarojs/taro';
import { Button, TextArea } from '@nutui/nutui-react-taro';
import { CANNED_REPLY_KINDS, CANNED_REPLY_KIND_LABELS, capabilityNodeIds, mayManageCannedReplies, type CannedReply, type CannedReplyKind, type GridTreeNode } from '@linli/shared';
import { Choices } from '../../../components/Choices';
import { restricted } from '../../../components/Restricted';
import { useMe } from '../../../hooks/useMe';
import { getGridTree, nodesOfLevel } from '../../../services/grids';
import { ApiError } from '../../../services/api';
import { addCannedReply, listCannedReplies, removeCannedReply, updateCannedReply } from '../../../services/reports';
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

/** What the server objected to, as the form shows it: its message and each field's reason. */
function objection(error: unknown): string {
  if (!(error instanceof ApiError)) return '保存失败，请稍后再试';
  const reasons = error.details.map((detail) => detail.message).filter((message) => message !== error.message);
  return reasons.length ? `${error.message}：${reasons.join('；')}` : error.message;
}

/** 常用语: the secretary keeps the community's canned replies that staff pick from with one tap. */
function CannedReplies() {
  const { me } = useMe();
  const [tree, setTree] = useState<GridTreeNode[]>([]);
  const [communityId, setCommunityId] = useState<number | null>(null);
  const [kind, setKind] = useState<CannedReplyKind>('resolve');
  const [replies, setReplies] = useState<CannedReply[] | null>(null);
  const [text, setText] = useState('');
  /** The reply being changed (tapped in the list), or null when the form adds a new one. */
  const [editing, setEditing] = useState<CannedReply | null>(null);
  const [error, setError] = useState('');

  useEffect(() => {
    getGridTree().then(setTree).catch(() => undefined);
  }, []);
  const communities = useMemo(() => (me ? communitiesHeld(tree, capabilityNodeIds(me, 'manageCannedReplies')) : []), [me, tree]);
  useEffect(() => {
    if (communityId === null && communities.length) setCommunityId(communities[0].id);
  }, [communities, communityId]);

  const startNew = () => {
    setEditing(null);
    setText('');
    setError('');
  };
  const startEdit = (reply: CannedReply) => {
    setEditing(reply);
    setText(reply.text);
    setError('');
    // The form is at the top; the tapped reply may be far down the list.
    void Taro.pageScrollTo({ scrollTop: 0, duration: 200 }).catch(() => undefined);
  };
  // Another community or kind: the form starts afresh.
  useEffect(startNew, [communityId, kind]);

  const load = useCallback(() => {
    if (communityId === null) return;
    setReplies(null);
    listCannedReplies(communityId, kind).then(setReplies).catch(() => setReplies([]));
  }, [communityId, kind]);
  useEffect(load, [load]);

  /** Adds, or with a reply tapped saves its new text (PUT); the server's objection stays in the form. */
  const save = async () => {
    if (communityId === null) return;
    setError('');
    try {
      if (editing) await updateCannedReply(editing.id, text);
      else await addCannedReply({ nodeId: communityId, kind, text });
      startNew();
      load();
    } catch (failure) {
      setError(objection(failure));
    }
  };
  const remove = async (reply: CannedReply) => {
    const { confirm } = await Taro.showModal({ title: '删除常用语', content: reply.text, confirmColor: '#e8552d' });
    if (!confirm) return;
    await removeCannedReply(reply.id).then(load, () => undefined);
    if (editing?.id === reply.id) startNew();
  };

  return (
    <View id="canned-page" className="page">
      {communities.length > 1 ? <Choices idPrefix="canned-community" small items={communities.map((node) => ({ key: node.id, label: node.name }))} selected={communityId} onSelect={setCommunityId} /> : null}
      <View className="canned__kinds">
        <Choices idPrefix="canned-kind" items={CANNED_REPLY_KINDS.map((key) => ({ key, label: CANNED_REPLY_KIND_LABELS[key] }))} selected={kind} onSelect={setKind} />
      </View>
      <View id="canned-form" className="card">
        <View className="canned__form-title">{editing ? '修改常用语' : `新的${CANNED_REPLY_KIND_LABELS[kind]}常用语`}</View>
        <View id="canned-text">
          <TextArea placeholder="办理时一点即填入，可再修改" value={text} onChange={setText} maxLength={200} showCount rows={2} />
        </View>
        {error ? (
          <View id="canned-error" className="canned__error">
            {error}
          </View>
        ) : null}
      </View>
      <View className="canned__buttons">
        {editing ? (
          <Button id="canned-cancel" block onClick={startNew}>
            取消
          </Button>
        ) : null}
        <Button id="canned-save" type="primary" block onClick={() => void save()}>
          {editing ? '保存' : '添加'}
        </Button>
      </View>
      <View className="card">
        {replies === null ? <View className="muted">正在加载…</View> : null}
        {replies?.length === 0 ? <View className="muted">还没有{CANNED_REPLY_KIND_LABELS[kind]}的常用语</View> : null}
        {(replies ?? []).map((reply) => (
          <View key={reply.id} id={`canned-${reply.id}`} className={`canned__row ${editing?.id === reply.id ? 'is-editing' : ''}`}>
            <Text className="canned__text" onClick={() => startEdit(reply)}>
              {reply.text}
            </Text>
            <Text className="canned__edit" onClick={() => startEdit(reply)}>
              修改
            </Text>
            <Text className="canned__remove" onClick={() => void remove(reply)}>
              删除
            </Text>
          </View>
        ))}
      </View>
    </View>
  );
}

export default restricted(CannedReplies, mayManageCannedReplies);
