import { useEffect, useState, type ReactNode } from 'react';
import { View, Text } from '@tarojs/components';
import Taro from '@tarojs/taro';
import { GRID_LEVEL_LABELS, type GridTreeNode } from '@linli/shared';
import './GridTree.scss';

export function findNode(nodes: GridTreeNode[], id: number): GridTreeNode | null {
  for (const node of nodes) {
    if (node.id === id) return node;
    const found = findNode(node.children ?? [], id);
    if (found) return found;
  }
  return null;
}

/** The ids of the nodes down to `depth` levels (0 = the roots): what starts open. */
function openTo(nodes: GridTreeNode[], depth: number): number[] {
  if (depth < 0) return [];
  return nodes.flatMap((node) => [node.id, ...openTo(node.children ?? [], depth - 1)]);
}

interface Props {
  tree: GridTreeNode[];
  /** Each row gets `${idPrefix}-${node.id}`. */
  idPrefix: string;
  selectedId?: number | null;
  onSelect?: (node: GridTreeNode) => void;
  /** Buttons at the end of a row. */
  actions?: (node: GridTreeNode) => ReactNode;
  /** How many levels start open (1: the roots and their children). */
  openDepth?: number;
}

/** The grid tree with expand/collapse, indented by level. */
export function GridTree({ tree, idPrefix, selectedId, onSelect, actions, openDepth = 1 }: Props) {
  const [open, setOpen] = useState<Set<number>>(() => new Set(openTo(tree, openDepth - 1)));
  // The tree arrives after the first render: open its top levels once it does.
  useEffect(() => {
    if (tree.length > 0) setOpen((current) => (current.size > 0 ? current : new Set(openTo(tree, openDepth - 1))));
  }, [tree, openDepth]);

  const toggle = (id: number) =>
    setOpen((current) => {
      const next = new Set(current);
      if (next.has(id)) next.delete(id);
      else next.add(id);
      return next;
    });

  const rows: ReactNode[] = [];
  const walk = (nodes: GridTreeNode[], depth: number) => {
    for (const node of nodes) {
      const children = node.children ?? [];
      const isOpen = open.has(node.id);
      rows.push(
        <View
          key={node.id}
          id={`${idPrefix}-${node.id}`}
          className={`grid-tree__row ${selectedId === node.id ? 'is-selected' : ''}`}
          style={{ paddingLeft: Taro.pxTransform(depth * 28 + 8) }}
        >
          <View className="grid-tree__toggle" onClick={() => children.length > 0 && toggle(node.id)}>
            {children.length > 0 ? (isOpen ? '▾' : '▸') : '·'}
          </View>
          <View className="grid-tree__main" onClick={() => (onSelect ? onSelect(node) : children.length > 0 && toggle(node.id))}>
            <Text className="grid-tree__name">{node.name}</Text>
            <Text className="grid-tree__level">{GRID_LEVEL_LABELS[node.level]}</Text>
          </View>
          {actions ? <View className="grid-tree__actions">{actions(node)}</View> : null}
        </View>,
      );
      if (isOpen) walk(children, depth + 1);
    }
  };
  walk(tree, 0);

  return <View className="grid-tree">{rows}</View>;
}
