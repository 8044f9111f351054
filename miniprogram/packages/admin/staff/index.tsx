import { useCallback, useEffect, useState } from 'react';
import { View, Text } from '@tarojs/components';
import Taro from '@tarojs/taro';
import { Button, Input } from '@nutui/nutui-react-taro';
import { ROLE_LABELS, STAFF_ROLES, mayManageStaff, type GridTreeNode, type StaffRole } from '@linli/shared';
import { Choices } from '../../../components/Choices';
import { restricted } from '../../../components/Restricted';
import { assignRole, listAssignments, removeAssignment, searchUsers, type AdminUser, type RoleAssignmentView } from '../../../services/admin';
import { getGridTree } from '../../../services/grids';
import { GridTree } from '../GridTree';
import '../admin.scss';

/** 人员配置: find a person, give them a staff role on a node; the roles held on a node, to take back. */
function StaffAdmin() {
  const [tree, setTree] = useState<GridTreeNode[]>([]);
  const [q, setQ] = useState('');
  const [users, setUsers] = useState<AdminUser[] | null>(null);
  const [user, setUser] = useState<AdminUser | null>(null);
  const [role, setRole] = useState<StaffRole | null>(null);
  const [node, setNode] = useState<GridTreeNode | null>(null);
  const [assignments, setAssignments] = useState<RoleAssignmentView[] | null>(null);
  const [saving, setSaving] = useState(false);

  useEffect(() => {
    getGridTree().then(setTree).catch(() => undefined);
  }, []);

  const loadAssignments = useCallback((nodeId: number) => {
    setAssignments(null);
    return listAssignments(nodeId)
      .then(setAssignments)
      .catch(() => setAssignments([]));
  }, []);
  useEffect(() => {
    if (node) void loadAssignments(node.id);
  }, [node, loadAssignments]);

  const search = async () => {
    if (!q.trim()) return;
    try {
      const found = await searchUsers(q.trim());
      setUsers(found);
      // Keep the chosen person (with their roles brought up to date) if they are still listed.
      setUser((current) => (current ? (found.find((item) => item.id === current.id) ?? null) : null));
    } catch {
      // toasted
    }
  };

  const assign = async () => {
    if (!user || !role || !node || saving) return;
    setSaving(true);
    try {
      await assignRole({ userId: user.id, role, nodeId: node.id });
      void Taro.showToast({ title: '已分配', icon: 'success' });
      await Promise.all([loadAssignments(node.id), search()]);
    } catch {
      // toasted
    } finally {
      setSaving(false);
    }
  };

  const remove = async (assignment: RoleAssignmentView) => {
    const { confirm } = await Taro.showModal({
      title: '移除角色',
      content: `移除 ${assignment.nickname} 在「${assignment.nodeName}」的${ROLE_LABELS[assignment.role]}角色？`,
      confirmColor: '#e53935',
    });
    if (!confirm) return;
    try {
      await removeAssignment(assignment.id);
      void Taro.showToast({ title: '已移除', icon: 'success' });
      await Promise.all([node ? loadAssignments(node.id) : undefined, users ? search() : undefined]);
    } catch {
      // toasted
    }
  };

  return (
    <View id="admin-staff-page" className="page admin">
      <View className="section-title">1. 选择人员</View>
      <View className="card admin__form">
        <View className="admin__search">
          <Input id="staff-search-input" className="admin__input" value={q} placeholder="昵称或用户编号" onChange={setQ} onConfirm={() => void search()} />
          <Button id="staff-search" size="small" type="primary" disabled={!q.trim()} onClick={() => void search()}>
            搜索
          </Button>
        </View>
        {users?.length === 0 ? <Text className="muted">没有找到</Text> : null}
      </View>
      {(users ?? []).map((item) => (
        <View
          key={item.id}
          id={`staff-user-${item.id}`}
          className={`card admin__row ${user?.id === item.id ? 'is-selected' : ''}`}
          onClick={() => setUser(item)}
        >
          <View className="admin__main">
            <Text className="admin__name">
              {item.nickname || '未命名'} <Text className="admin__meta">#{item.id}</Text>
            </Text>
            <Text className="admin__meta">
              {[item.phoneMasked, item.hasHousehold ? '已绑定住户' : null].filter(Boolean).join(' · ') || '—'}
            </Text>
            {item.roles.length > 0 ? (
              <Text className="admin__meta">{item.roles.map((r) => `${r.nodeName}${ROLE_LABELS[r.role]}`).join('、')}</Text>
            ) : null}
          </View>
          {user?.id === item.id ? <Text className="mark">已选</Text> : null}
        </View>
      ))}

      <View className="section-title">2. 选择角色</View>
      <Choices idPrefix="staff-role" small items={STAFF_ROLES.map((key) => ({ key, label: ROLE_LABELS[key] }))} selected={role} onSelect={setRole} />

      <View className="section-title">3. 选择网格</View>
      <View id="staff-tree" className="card admin__tree admin__tree--picker">
        <GridTree tree={tree} idPrefix="staff-node" openDepth={3} selectedId={node?.id ?? null} onSelect={setNode} />
      </View>

      <View className="block-button">
        <Button id="staff-assign" type="primary" size="large" block loading={saving} disabled={!user || !role || !node} onClick={() => void assign()}>
          {user && role && node ? `任命 ${user.nickname} 为${node.name}的${ROLE_LABELS[role]}` : '分配角色'}
        </Button>
      </View>

      <View className="section-title">{node ? `${node.name}的人员` : '选择网格后查看其人员'}</View>
      {node && assignments === null ? <View className="card muted">正在加载…</View> : null}
      {assignments?.length === 0 ? <View className="card muted">这里还没有人员</View> : null}
      <View id="staff-assignments">
        {(assignments ?? []).map((assignment) => (
          <View key={assignment.id} id={`assignment-${assignment.id}`} className="card admin__row" data-user-id={assignment.userId} data-role={assignment.role}>
            <View className="admin__main">
              <Text className="admin__name">
                {assignment.nickname || `#${assignment.userId}`} · {ROLE_LABELS[assignment.role]}
              </Text>
              <Text className="admin__meta">{assignment.nodePath.join(' / ')}</Text>
            </View>
            <Button id={`assignment-remove-${assignment.id}`} size="small" onClick={() => void remove(assignment)}>
              移除
            </Button>
          </View>
        ))}
      </View>
    </View>
  );
}

export default restricted(StaffAdmin, mayManageStaff);
