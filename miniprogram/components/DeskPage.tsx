import type { PropsWithChildren, ReactNode } from 'react';
import { View } from '@tarojs/components';

interface Props {
  id: string;
  className?: string;
  /** Shown beside the page at a desk (≥ 1,024 px), below it on a phone. */
  side?: ReactNode;
}

/**
 * The root of a staff page: a phone page on a phone, a desk console on a wide screen (H5): a fixed-width
 * column, or with `side` two columns (styles/desk.scss). A staff page gets the column by the class
 * `desk-page` on its root <View className="page desk-page …">, or by using this component, which also
 * lays out a side panel (a list beside its detail, a map beside its legend). No page styles of its own.
 */
export function DeskPage({ id, className = '', side, children }: PropsWithChildren<Props>) {
  if (!side) {
    return (
      <View id={id} className={`page desk-page ${className}`}>
        {children}
      </View>
    );
  }
  return (
    <View id={id} className={`page desk-page desk-page--split ${className}`}>
      <View className="desk-page__main">{children}</View>
      <View className="desk-page__side">{side}</View>
    </View>
  );
}
