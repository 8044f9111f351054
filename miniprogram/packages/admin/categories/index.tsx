import { useCallback, useEffect, useRef, useState } from 'react';
import { View, Text } from '@tarojs/components';
import Taro from '@tarojs/taro';
import { Button, Input, Popup } from '@nutui/nutui-react-taro';
import { mayManageCategories, type Department, type ReportCategory } from '@linli/shared';
import { Choices } from '../../../components/Choices';
import { LoadFailed } from '../../../components/LoadFailed';
import { restricted } from '../../../components/Restricted';
import { createCategory, listAdminCategories, updateCategory } from '../../../services/admin';
import { listDepartments } from '../../../services/reports';
import '../admin.scss';

interface Draft {
  /** null while adding */
  editing: ReportCategory | null;
  code: string;
  name: string;
  slaHours: string;
  departmentId: number;
}

const NO_DEPARTMENT = 0;

function hoursText(hours: number): string {
  return hours % 24 === 0 ? `${hours} 小时（${hours / 24} 天）` : `${hours} 小时`;
}

/** 类别与时限: the report categories, their SLA hours and the department that usually handles them. */
function CategoryAdmin() {
  const [categories, setCategories] = useState<ReportCategory[] | null>(null);
  const [departments, setDepartments] = useState<Department[]>([]);
  const [failed, setFailed] = useState(false);
  const [draft, setDraft] = useState<Draft | null>(null);
  const [saving, setSaving] = useState(false);
  /** Guards against a second tap before `saving` re-renders the button. */
  const inFlight = useRef(false);

  const load = useCallback(() => {
    setFailed(false);
    return listAdminCategories()
      .then(setCategories)
      .catch(() => setFailed(true));
  }, []);
  useEffect(() => {
    void load();
    listDepartments().then(setDepartments).catch(() => undefined);
  }, [load]);

  const patch = (change: Partial<Draft>) => setDraft((current) => (current ? { ...current, ...change } : current));

  const save = async () => {
    if (!draft || inFlight.current) return;
    const slaHours = Number(draft.slaHours);
    if (!Number.isInteger(slaHours) || slaHours < 1 || slaHours > 24 * 90) {
      void Taro.showToast({ title: '时限为 1–2160 的整数小时', icon: 'none' });
      return;
    }
    const departmentId = draft.departmentId === NO_DEPARTMENT ? null : draft.departmentId;
    inFlight.current = true;
    setSaving(true);
    try {
      if (draft.editing) await updateCategory(draft.editing.code, { name: draft.name.trim(), slaHours, departmentId });
      else await createCategory({ code: draft.code.trim(), name: draft.name.trim(), slaHours, departmentId });
      setDraft(null);
      void Taro.showToast({ title: '已保存', icon: 'success' });
      await load();
    } catch {
      // toasted (a code already taken, a malformed code…)
    } finally {
      inFlight.current = false;
      setSaving(false);
    }
  };

  const departmentChoices = [{ key: NO_DEPARTMENT, label: '不指定' }, ...departments.map((d) => ({ key: d.id, label: d.name }))];

  return (
    <View id="admin-categories-page" className="page admin">
      <View className="block-button">
        <Button
          id="category-add"
          type="primary"
          size="large"
          block
          onClick={() => setDraft({ editing: null, code: '', name: '', slaHours: '72', departmentId: NO_DEPARTMENT })}
        >
          新增类别
        </Button>
      </View>
      <View className="muted admin__hint">时限为普通优先级从提交到办结的小时数，紧急、较急按比例缩短。</View>
      {failed ? <LoadFailed onRetry={() => void load()} /> : null}
      {categories === null && !failed ? <View className="card muted">正在加载…</View> : null}
      <View id="category-list">
        {(categories ?? []).map((category) => (
          <View key={category.code} id={`category-${category.code}`} className="card admin__row">
            <View className="admin__main">
              <Text className="admin__name">
                {category.name} <Text className="admin__meta">{category.code}</Text>
              </Text>
              <Text className="admin__meta">时限 {hoursText(category.slaHours)}</Text>
              <Text className="admin__meta">通常办理：{category.departmentName ?? '未指定'}</Text>
            </View>
            <Button
              id={`category-edit-${category.code}`}
              size="small"
              onClick={() =>
                setDraft({ editing: category, code: category.code, name: category.name, slaHours: String(category.slaHours), departmentId: category.departmentId ?? NO_DEPARTMENT })
              }
            >
              编辑
            </Button>
          </View>
        ))}
      </View>

      <Popup visible={draft !== null} position="bottom" round onClose={() => setDraft(null)}>
        {draft ? (
          <View id="category-popup" className="admin__popup">
            <Text className="admin__popup-title">{draft.editing ? `编辑「${draft.editing.name}」` : '新增类别'}</Text>
            {draft.editing ? null : (
              <>
                <Text className="admin__label">编码（小写字母开头，可含数字和下划线）</Text>
                <Input id="category-code" className="admin__input" value={draft.code} maxLength={32} placeholder="如：parking" onChange={(code) => patch({ code })} />
              </>
            )}
            <Text className="admin__label">名称</Text>
            <Input id="category-name" className="admin__input" value={draft.name} maxLength={50} placeholder="如：停车管理" onChange={(name) => patch({ name })} />
            <Text className="admin__label">时限（小时）</Text>
            <Input id="category-sla" className="admin__input" type="number" value={draft.slaHours} placeholder="如：72" onChange={(slaHours) => patch({ slaHours })} />
            <Text className="admin__label">通常办理的部门</Text>
            <Choices idPrefix="category-department" small items={departmentChoices} selected={draft.departmentId} onSelect={(departmentId) => patch({ departmentId })} />
            <View className="admin__popup-actions">
              <Button onClick={() => setDraft(null)}>取消</Button>
              <Button
                id="category-save"
                type="primary"
                loading={saving}
                disabled={!draft.name.trim() || !draft.slaHours || (!draft.editing && !draft.code.trim())}
                onClick={() => void save()}
              >
                保存
              </Button>
            </View>
          </View>
        ) : null}
      </Popup>
    </View>
  );
}

export default restricted(CategoryAdmin, mayManageCategories);
