import { useEffect, useRef } from 'react';
import { Canvas, View } from '@tarojs/components';
import Taro from '@tarojs/taro';
import { echarts, type EChartsType } from './echarts';
import './MapCanvas.scss';

interface Props {
  id: string;
  /** The whole option, set afresh (not merged) whenever it changes. */
  option: Record<string, unknown> | null;
  /** Called once the chart exists, to attach its event handlers. */
  onReady?: (chart: EChartsType) => void;
}

/**
 * An ECharts chart on canvas in both builds. On H5 ECharts draws into a div (its own <canvas>). In the
 * mini-program it draws into a <Canvas type="2d"> node through a small bridge (below), with text
 * measured on an offscreen canvas (setPlatformAPI), and touches handed to its event handler.
 */
export function MapCanvas({ id, option, onReady }: Props) {
  const chart = useRef<EChartsType | null>(null);
  const latestOption = useRef(option);
  latestOption.current = option;

  useEffect(() => {
    let disposed = false;
    const start = (made: EChartsType) => {
      if (disposed) return made.dispose();
      chart.current = made;
      onReady?.(made);
      if (latestOption.current) made.setOption(latestOption.current, true);
    };
    if (process.env.TARO_ENV === 'h5') {
      const element = document.getElementById(id);
      if (!element) return;
      const made = echarts.init(element, undefined, { renderer: 'canvas' });
      const observer = new ResizeObserver(() => {
        // A page further back in the stack is hidden (0 × 0): ECharts' geo view cannot lay out at no size
        // (it threw from its roam transform); it is resized again when the page shows.
        if (element.clientWidth > 0 && element.clientHeight > 0) made.resize();
      });
      observer.observe(element);
      // For the browser tests: where a place is drawn (the canvas itself says nothing to them).
      Object.assign(element, { linliToPixel: (lng: number, lat: number) => made.convertToPixel({ geoIndex: 0 }, [lng, lat]) });
      start(made);
      return () => {
        disposed = true;
        observer.disconnect();
        made.dispose();
        chart.current = null;
      };
    }
    void Taro.nextTick(() => {
      Taro.createSelectorQuery()
        .select(`#${id}`)
        .fields({ node: true, size: true })
        .exec((result: Array<{ node: WxCanvasNode; width: number; height: number } | null>) => {
          const found = result[0];
          if (!found?.node || disposed) return;
          start(initOnWxCanvas(found.node, found.width, found.height));
        });
    });
    return () => {
      disposed = true;
      chart.current?.dispose();
      chart.current = null;
    };
    // The chart is made once per mounted canvas; options flow in below.
    // eslint-disable-next-line react-hooks/exhaustive-deps
  }, [id]);

  useEffect(() => {
    if (chart.current && option) chart.current.setOption(option, true);
  }, [option]);

  if (process.env.TARO_ENV === 'h5') return <View id={id} className="map-canvas" />;
  const touch = (kind: TouchKind) => (event: WxTouchEvent) => chart.current && forwardTouch(chart.current, kind, event);
  return (
    <Canvas
      id={id}
      canvasId={id}
      type="2d"
      className="map-canvas"
      disableScroll
      onTouchStart={touch('start') as never}
      onTouchMove={touch('move') as never}
      onTouchEnd={touch('end') as never}
    />
  );
}

/* ───────── the mini-program's canvas ───────── */

interface WxCanvasNode {
  width: number;
  height: number;
  getContext(type: '2d'): unknown;
}

/** What ECharts asks of a canvas element, backed by a <Canvas type="2d"> node. */
class CanvasBridge {
  constructor(private readonly node: WxCanvasNode) {}
  getContext(type: string) {
    return type === '2d' ? this.node.getContext('2d') : null;
  }
  get width() {
    return this.node.width;
  }
  set width(value: number) {
    this.node.width = value;
  }
  get height() {
    return this.node.height;
  }
  set height(value: number) {
    this.node.height = value;
  }
  // ECharts listens on its element in a browser; here touches come through forwardTouch.
  addEventListener() {}
  removeEventListener() {}
  attachEvent() {}
  detachEvent() {}
}

let platformSet = false;

function initOnWxCanvas(node: WxCanvasNode, width: number, height: number): EChartsType {
  if (!platformSet) {
    // Text is measured on an offscreen 2d canvas: there is no document to make one from.
    echarts.setPlatformAPI({ createCanvas: () => Taro.createOffscreenCanvas({ type: '2d', width: 1, height: 1 }) as unknown as HTMLCanvasElement });
    platformSet = true;
  }
  const devicePixelRatio = Taro.getSystemInfoSync().pixelRatio;
  node.width = width * devicePixelRatio;
  node.height = height * devicePixelRatio;
  return echarts.init(new CanvasBridge(node) as unknown as HTMLElement, undefined, { width, height, devicePixelRatio });
}

type TouchKind = 'start' | 'move' | 'end';
interface WxTouch {
  x: number;
  y: number;
  offsetX?: number;
  offsetY?: number;
}
interface WxTouchEvent {
  touches: WxTouch[];
  changedTouches?: WxTouch[];
}

/** A touch on the canvas as the mouse events and gestures ECharts' handler understands (pan, pinch, tap). */
function forwardTouch(chart: EChartsType, kind: TouchKind, event: WxTouchEvent) {
  const handler = chart.getZr().handler as unknown as {
    dispatch(name: string, event: { zrX: number; zrY: number }): void;
    processGesture(event: unknown, stage: 'start' | 'change' | 'end'): void;
  };
  for (const t of event.touches) Object.assign(t, { offsetX: t.x, offsetY: t.y });
  const point = kind === 'end' ? event.changedTouches?.[0] : event.touches[0];
  if (!point) return;
  const at = { zrX: point.x, zrY: point.y };
  if (kind === 'start') {
    handler.dispatch('mousedown', at);
    handler.dispatch('mousemove', at);
    handler.processGesture(event, 'start');
  } else if (kind === 'move') {
    handler.dispatch('mousemove', at);
    handler.processGesture(event, 'change');
  } else {
    handler.dispatch('mouseup', at);
    handler.dispatch('click', at);
    handler.processGesture(event, 'end');
  }
}
