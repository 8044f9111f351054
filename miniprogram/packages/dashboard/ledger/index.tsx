import { useEffect, useMemo, useRef, useState } from 'react';
import { View, Text } from '@tarojs/components';
import { Button } from '@nutui/nutui-react-taro';
import { capabilityNodeIds, LEDGER_LIMITS, mayKeepLedger, type BuildingSummary, type GridTreeNode, type HouseholdSummary, type LedgerImportResult } from '@linli/shared';
import { Choices } from '../../../components/Choices';
import { useMe } from '../../../hooks/useMe';
import { getGridTree, listBuildings, listHouseholds } from '../../../services/grids';
import { chooseLedgerFile, downloadLedgerTemplate, exportLedger, importLedger } from '../../../services/ledger';
import { FlatEditor } from './FlatEditor';
import { ImportResult } from './ImportResult';
import './index.scss';

/** The communities under the nodes a secretary or admin holds (a held community, grid or micro-grid is itself). */
function communitiesUnder(nodes: GridTreeNode[], held: Set<number>, inside = false): GridTreeNode[] {
  return nodes.flatMap((node) => {
    const mine = inside || held.has(node.id);
    if (mine && (node.level === 'community' || node.level === 'grid' || node.level === 'microgrid')) return [node];
    return communitiesUnder(node.children ?? [], held, mine);
  });
}

interface ChosenFile {
  path: string;
  name: string;
}

/** 住户台账: import the community's ledger (.xlsx) after a dry run, export it, and fix a flat by hand. */
export default function Ledger() {
  const { me } = useMe();
  const [tree, setTree] = useState<GridTreeNode[]>([]);
  const [nodeId, setNodeId] = useState<number | null>(null);
  const [file, setFile] = useState<ChosenFile | null>(null);
  const [result, setResult] = useState<LedgerImportResult | null>(null);
  const [working, setWorking] = useState<'preview' | 'import' | 'export' | null>(null);
  const [buildings, setBuildings] = useState<BuildingSummary[]>([]);
  const [buildingId, setBuildingId] = useState<number | null>(null);
  const [flats, setFlats] = useState<HouseholdSummary[]>([]);
  const [flatId, setFlatId] = useState<number | null>(null);
  const fileInput = useRef<HTMLInputElement>(null);

  useEffect(() => {
    getGridTree().then(setTree).catch(() => undefined);
  }, []);
  const choices = useMemo(() => (me ? communitiesUnder(tree, new Set(capabilityNodeIds(me, 'keepLedger'))) : []), [me, tree]);
  useEffect(() => {
    if (nodeId === null && choices.length > 0) setNodeId(choices[0].id);
  }, [choices, nodeId]);
  const node = choices.find((c) => c.id === nodeId) ?? null;

  const loadBuildings = (id: number) => listBuildings(id).then(setBuildings).catch(() => setBuildings([]));
  useEffect(() => {
    setResult(null);
    setBuildingId(null);
    if (nodeId !== null) void loadBuildings(nodeId);
  }, [nodeId]);
  useEffect(() => {
    setFlatId(null);
    setFlats([]);
    if (buildingId !== null) listHouseholds(buildingId).then(setFlats).catch(() => undefined);
  }, [buildingId]);

  const pick = async () => {
    const chosen = await chooseLedgerFile();
    if (chosen) choose(chosen);
  };
  const choose = (chosen: ChosenFile) => {
    if (process.env.TARO_ENV === 'h5' && file) URL.revokeObjectURL(file.path);
    setFile(chosen);
    setResult(null);
  };
  const run = async (dryRun: boolean) => {
    if (!file || nodeId === null) return;
    setWorking(dryRun ? 'preview' : 'import');
    try {
      setResult(await importLedger(file.path, file.name, nodeId, dryRun));
      // New buildings and flats are there to fix by hand now.
      if (!dryRun) void loadBuildings(nodeId);
    } catch {
      // toasted
    } finally {
      setWorking(null);
    }
  };
  const doExport = async () => {
    if (!node) return;
    setWorking('export');
    await exportLedger(node.id, node.name).catch(() => undefined);
    setWorking(null);
  };

  if (me && !mayKeepLedger(me)) return <View className="page muted">只有社区书记和管理员可以管理住户台账</View>;
  const previewed = result?.dryRun === true;
  return (
    <View id="ledger-page" className="page ledger">
      {choices.length > 1 ? <Choices idPrefix="ledger-node" small items={choices.map((c) => ({ key: c.id, label: c.name }))} selected={nodeId} onSelect={setNodeId} /> : null}

      <View className="card">
        <Text className="card-title">导入台账{node ? ` · ${node.name}` : ''}</Text>
        <Text className="muted ledger__intro">
          按模板整理好楼栋、单元、房号、建筑面积和住户（姓名、手机号、与户关系）后上传。先预览变更，确认无误再导入；同一文件导入两次不会重复添加，导入也不会删除任何人。文件不超过 {LEDGER_LIMITS.maxBytes / 1024 / 1024} MB。
        </Text>
        <View className="ledger__actions">
          <Button id="ledger-template" size="small" onClick={() => void downloadLedgerTemplate().catch(() => undefined)}>
            下载模板
          </Button>
          {process.env.TARO_ENV === 'h5' ? (
            <>
              <Button id="ledger-pick" size="small" onClick={() => fileInput.current?.click()}>
                选择文件
              </Button>
              <input
                id="ledger-file-input"
                ref={fileInput}
                className="ledger__file-input"
                type="file"
                accept=".xlsx,application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
                onChange={(event) => {
                  const input = event.target as HTMLInputElement;
                  const chosen = input.files?.[0];
                  if (chosen) choose({ path: URL.createObjectURL(chosen), name: chosen.name });
                  input.value = '';
                }}
              />
            </>
          ) : (
            <Button id="ledger-pick" size="small" onClick={() => void pick()}>
              从聊天中选择文件
            </Button>
          )}
        </View>
        {file ? (
          <Text id="ledger-file-name" className="ledger__file-name">
            已选择：{file.name}
          </Text>
        ) : null}
        <View className="ledger__actions">
          <Button id="ledger-preview" type="primary" disabled={!file || working !== null} loading={working === 'preview'} onClick={() => void run(true)}>
            预览变更
          </Button>
          <Button id="ledger-import" type="danger" disabled={!previewed || working !== null} loading={working === 'import'} onClick={() => void run(false)}>
            确认导入
          </Button>
        </View>
      </View>

      {result ? <ImportResult result={result} /> : null}

      <View className="card">
        <Text className="card-title">导出台账</Text>
        <Text className="muted ledger__intro">导出本辖区全部房屋和已核验成员（含完整手机号，导出会记录在操作日志中），格式与导入相同，改好后可直接导回。</Text>
        <Button id="ledger-export" className="block-button" disabled={!node || working !== null} loading={working === 'export'} onClick={() => void doExport()}>
          导出 Excel
        </Button>
      </View>

      <View className="section-title">逐户修改：选楼栋，再选房屋</View>
      <Choices idPrefix="ledger-building" small items={buildings.map((b) => ({ key: b.id, label: b.name }))} selected={buildingId} onSelect={setBuildingId} />
      {buildingId !== null ? (
        <View className="ledger__rooms">
          <Choices idPrefix="ledger-room" small items={flats.map((f) => ({ key: f.id, label: `${f.unit} ${f.room}` }))} selected={flatId} onSelect={setFlatId} />
        </View>
      ) : null}
      {flatId !== null ? <FlatEditor householdId={flatId} /> : null}
    </View>
  );
}
