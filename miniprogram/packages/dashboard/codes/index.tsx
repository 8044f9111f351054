import { useEffect, useMemo, useState } from 'react';
import { View, Text, Image } from '@tarojs/components';
import Taro, { useRouter } from '@tarojs/taro';
import { Button, Popup } from '@nutui/nutui-react-taro';
import { capabilityNodeIds, mayMakeBuildingCodes, type BuildingSummary, type GridTreeNode } from '@linli/shared';
import { Choices } from '../../../components/Choices';
import { restricted } from '../../../components/Restricted';
import { useMe } from '../../../hooks/useMe';
import { getGridTree, listBuildings } from '../../../services/grids';
import { buildingCodeImage, canPrintCodeSheet, openBuildingCodeSheet } from '../../../services/stats';
import './index.scss';

function findNode(nodes: GridTreeNode[], id: number): GridTreeNode | null {
  for (const node of nodes) {
    if (node.id === id) return node;
    const found = findNode(node.children ?? [], id);
    if (found) return found;
  }
  return null;
}

/** The communities under (or at) a node: where buildings are listed. */
function communitiesUnder(node: GridTreeNode): GridTreeNode[] {
  if (node.level === 'community' || node.level === 'grid' || node.level === 'microgrid') return [node];
  return (node.children ?? []).flatMap(communitiesUnder);
}

/** 一楼一码: the buildings of a node, each with its code to print and post in the stairwell. */
function BuildingCodes() {
  const router = useRouter();
  const { me } = useMe();
  const [tree, setTree] = useState<GridTreeNode[]>([]);
  const [nodeId, setNodeId] = useState<number | null>(() => Number(router.params.nodeId) || null);
  const [buildings, setBuildings] = useState<BuildingSummary[] | null>(null);
  const [shown, setShown] = useState<BuildingSummary | null>(null);
  const [image, setImage] = useState<string | null>(null);
  const [loadingCode, setLoadingCode] = useState(false);

  useEffect(() => {
    getGridTree().then(setTree).catch(() => undefined);
  }, []);

  // The nodes that may be chosen: the communities (or smaller nodes) under what the user holds.
  const choices = useMemo(() => {
    if (!me || tree.length === 0) return [];
    const held = capabilityNodeIds(me, 'makeBuildingCodes')
      .map((id) => findNode(tree, id))
      .filter((node): node is GridTreeNode => node !== null);
    const seen = new Set<number>();
    return held.flatMap(communitiesUnder).filter((node) => !seen.has(node.id) && seen.add(node.id));
  }, [me, tree]);

  useEffect(() => {
    if (choices.length === 0) return;
    if (nodeId === null || !findNode(tree, nodeId)) setNodeId(choices[0].id);
  }, [choices, nodeId, tree]);

  useEffect(() => {
    if (nodeId === null) return;
    let stale = false;
    setBuildings(null);
    listBuildings(nodeId)
      .then((items) => !stale && setBuildings(items))
      .catch(() => !stale && setBuildings([]));
    return () => {
      stale = true;
    };
  }, [nodeId]);

  const showCode = async (building: BuildingSummary) => {
    setShown(building);
    setImage(null);
    setLoadingCode(true);
    try {
      setImage(await buildingCodeImage(building.id));
    } catch {
      setShown(null);
    } finally {
      setLoadingCode(false);
    }
  };

  const save = () => {
    if (!image || !shown) return;
    if (process.env.TARO_ENV === 'h5') {
      const link = document.createElement('a');
      link.href = image;
      link.download = `${shown.name}-楼栋码.png`;
      document.body.appendChild(link);
      link.click();
      link.remove();
      return;
    }
    Taro.saveImageToPhotosAlbum({ filePath: image })
      .then(() => Taro.showToast({ title: '已保存到相册', icon: 'success' }))
      .catch(() => Taro.showToast({ title: '保存失败，可长按图片保存', icon: 'none' }));
  };

  const current = nodeId === null ? null : findNode(tree, nodeId);

  return (
    <View id="building-codes-page" className="page codes">
      <View className="muted codes__intro">居民扫楼栋码即可进入小程序并自动选好所在楼栋，完成住户绑定。</View>
      {choices.length > 1 ? (
        <Choices idPrefix="codes-node" small items={choices.map((node) => ({ key: node.id, label: node.name }))} selected={nodeId} onSelect={setNodeId} />
      ) : null}
      <View className="section-title codes__title">
        <Text>{current ? `${current.name}的楼栋` : '楼栋'}</Text>
        {/* The whole community at once, one A4 page per building, to print and post. */}
        {canPrintCodeSheet && nodeId !== null && buildings?.length ? (
          <Button id="codes-print-sheet" size="small" onClick={() => void openBuildingCodeSheet(nodeId)}>
            打印全部楼栋码
          </Button>
        ) : null}
      </View>
      {!canPrintCodeSheet ? <View className="muted codes__intro">整个社区的楼栋码可在电脑上打开工作台一次打印（每栋一页 A4）。</View> : null}
      {buildings === null ? <View className="card muted">正在加载楼栋…</View> : null}
      {buildings?.length === 0 ? <View className="card muted">这里还没有楼栋</View> : null}
      <View className="codes__list">
        {(buildings ?? []).map((building) => (
          <View key={building.id} id={`building-${building.id}`} className="card codes__row">
            <View className="codes__main">
              <Text className="codes__name">{building.name}</Text>
              <Text className="muted">
                {building.units.length} 个单元 · {building.householdCount} 户
              </Text>
              <Text className="muted codes__code">{building.code}</Text>
            </View>
            <Button id={`building-code-${building.id}`} size="small" type="primary" onClick={() => void showCode(building)}>
              楼栋码
            </Button>
          </View>
        ))}
      </View>

      <Popup visible={shown !== null} position="center" round onClose={() => setShown(null)}>
        <View id="building-code-popup" className="codes__popup">
          <Text className="codes__popup-title">{shown?.name} 楼栋码</Text>
          {loadingCode ? <View className="muted codes__placeholder">正在生成…</View> : null}
          {image ? <Image id="building-code-image" className="codes__image" src={image} mode="aspectFit" showMenuByLongpress /> : null}
          <Text className="muted codes__hint">扫码绑定{shown?.name}的住户</Text>
          <View className="codes__popup-actions">
            <Button size="small" onClick={() => setShown(null)}>
              关闭
            </Button>
            <Button id="building-code-save" size="small" type="primary" disabled={!image} onClick={save}>
              保存图片
            </Button>
          </View>
        </View>
      </Popup>
    </View>
  );
}

export default restricted(BuildingCodes, mayMakeBuildingCodes);
