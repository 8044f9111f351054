import { useCallback, useEffect, useState } from 'react';
import { View, Text } from '@tarojs/components';
import Taro from '@tarojs/taro';
import { Button, Input, Popup, TextArea } from '@nutui/nutui-react-taro';
import { GRID_LEVEL_LABELS, mayManageGrids, type GridImportResult, type GridTreeNode } from '@linli/shared';
import { LoadFailed } from '../../../components/LoadFailed';
import { restricted } from '../../../components/Restricted';
import { deleteNode, importGrids, renameNode } from '../../../services/admin';
import { getGridTree } from '../../../services/grids';
import { GRIDS_IMPORTED_EVENT, IMPORT_PREVIEW_PAGE } from '../../../services/map-links';
import { keepImportDraft } from '../../../services/map';
import { GridTree } from '../GridTree';
import '../admin.scss';

/** 网格管理: the tree, renaming and deleting nodes, and the GeoJSON import that creates and reshapes them. */
function GridAdmin() {
  const [tree, setTree] = useState<GridTreeNode[] | null>(null);
  const [failed, setFailed] = useState(false);
  const [renaming, setRenaming] = useState<GridTreeNode | null>(null);
  const [name, setName] = useState('');
  const [saving, setSaving] = useState(false);
  const [geojson, setGeojson] = useState('');
  const [importing, setImporting] = useState(false);
  const [imported, setImported] = useState<GridImportResult | null>(null);

  const load = useCallback(() => {
    setFailed(false);
    return getGridTree()
      .then(setTree)
      .catch(() => setFailed(true));
  }, []);
  useEffect(() => {
    void load();
  }, [load]);

  // An import saved from the map preview: show its result and the tree as it now stands.
  useEffect(() => {
    const onImported = (result: GridImportResult) => {
      setImported(result);
      void load();
    };
    Taro.eventCenter.on(GRIDS_IMPORTED_EVENT, onImported);
    return () => void Taro.eventCenter.off(GRIDS_IMPORTED_EVENT, onImported);
  }, [load]);

  const startRename = (node: GridTreeNode) => {
    setRenaming(node);
    setName(node.name);
  };

  const saveName = async () => {
    if (!renaming || !name.trim() || saving) return;
    setSaving(true);
    try {
      await renameNode(renaming.id, name.trim());
      setRenaming(null);
      void Taro.showToast({ title: '已改名', icon: 'success' });
      await load();
    } catch {
      // toasted by the API layer
    } finally {
      setSaving(false);
    }
  };

  const remove = async (node: GridTreeNode) => {
    const { confirm } = await Taro.showModal({
      title: '删除网格',
      content: `删除${GRID_LEVEL_LABELS[node.level]}「${node.name}」？只有没有下级、楼栋、说事和人员的网格才能删除。`,
      confirmColor: '#e53935',
    });
    if (!confirm) return;
    try {
      await deleteNode(node.id);
      void Taro.showToast({ title: '已删除', icon: 'success' });
      await load();
    } catch {
      // 409 and its reason are toasted by the API layer
    }
  };

  const parsedGeojson = (): unknown => {
    try {
      return JSON.parse(geojson);
    } catch {
      void Taro.showToast({ title: '不是有效的 JSON', icon: 'none' });
      return undefined;
    }
  };

  /** 在地图上预览: the map sub-package draws what the import would do, and saves it from there. */
  const preview = () => {
    const body = parsedGeojson();
    if (body === undefined) return;
    keepImportDraft(body);
    void Taro.navigateTo({ url: IMPORT_PREVIEW_PAGE });
  };

  const runImport = async () => {
    if (importing) return;
    const body = parsedGeojson();
    if (body === undefined) return;
    setImporting(true);
    setImported(null);
    try {
      const result = await importGrids(body);
      setImported(result);
      await load();
    } catch {
      // toasted
    } finally {
      setImporting(false);
    }
  };

  return (
    <View id="admin-grids-page" className="page desk-page admin">
      <View className="section-title">网格树</View>
      {failed ? <LoadFailed onRetry={() => void load()} /> : null}
      {tree === null && !failed ? <View className="card muted">正在加载…</View> : null}
      {tree ? (
        <View id="admin-grid-tree" className="card admin__tree">
          <GridTree
            tree={tree}
            idPrefix="grid-node"
            openDepth={3}
            actions={(node) => (
              <>
                <Text id={`grid-rename-${node.id}`} className="grid-tree__action" onClick={() => startRename(node)}>
                  改名
                </Text>
                {(node.children ?? []).length === 0 ? (
                  <Text id={`grid-delete-${node.id}`} className="grid-tree__action grid-tree__action--danger" onClick={() => void remove(node)}>
                    删除
                  </Text>
                ) : null}
              </>
            )}
          />
        </View>
      ) : null}

      <View className="section-title">导入 GeoJSON</View>
      <View id="admin-grid-import" className="card admin__form">
        <Text className="muted admin__hint">
          粘贴 FeatureCollection，每个要素的 properties 含 code、name、level（district/street/community/grid/microgrid）和 parentCode；已有编码的更新名称和边界，新编码的新建。
        </Text>
        <TextArea
          id="grid-import-text"
          className="admin__code"
          placeholder='{"type":"FeatureCollection","features":[…]}'
          value={geojson}
          maxLength={-1}
          rows={6}
          onChange={setGeojson}
        />
        <Button id="grid-import-preview" block disabled={!geojson.trim()} onClick={preview}>
          在地图上预览
        </Button>
        <Button id="grid-import-submit" type="primary" block loading={importing} disabled={!geojson.trim()} onClick={() => void runImport()}>
          导入
        </Button>
        {imported ? (
          <View id="grid-import-result" className="admin__result">
            导入完成：新建 {imported.created} 个，更新 {imported.updated} 个
          </View>
        ) : null}
      </View>

      <Popup visible={renaming !== null} position="bottom" round onClose={() => setRenaming(null)}>
        <View id="grid-rename-popup" className="admin__popup">
          <Text className="admin__popup-title">
            {renaming ? `${GRID_LEVEL_LABELS[renaming.level]}改名` : ''}
          </Text>
          <Text className="muted">编码 {renaming?.code}</Text>
          <Input id="grid-rename-input" className="admin__input" value={name} maxLength={100} placeholder="新名称" onChange={setName} />
          <View className="admin__popup-actions">
            <Button onClick={() => setRenaming(null)}>取消</Button>
            <Button id="grid-rename-save" type="primary" loading={saving} disabled={!name.trim() || name.trim() === renaming?.name} onClick={() => void saveName()}>
              保存
            </Button>
          </View>
        </View>
      </Popup>
    </View>
  );
}

export default restricted(GridAdmin, mayManageGrids);
