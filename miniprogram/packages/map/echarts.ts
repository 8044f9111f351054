/**
 * The ECharts build of the map sub-package: the core, the geo component (the grid outlines, drawn from
 * GeoJSON given to registerMap), the scatter chart (report points and clusters) and the canvas renderer.
 * Canvas, not SVG: the SVG renderer needs DOMParser, which WeChat's mini-program runtime lacks.
 * Nothing else is registered, so nothing else is bundled (see README, "The map").
 */
import * as echarts from 'echarts/core';
import { ScatterChart } from 'echarts/charts';
import { GeoComponent } from 'echarts/components';
import { CanvasRenderer } from 'echarts/renderers';

echarts.use([GeoComponent, ScatterChart, CanvasRenderer]);

export { echarts };
export type { EChartsType } from 'echarts/core';
