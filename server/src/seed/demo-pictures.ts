import { encodePng } from '../uploads/png';

/**
 * Tile size in pixels, 5 : 3 like the mall card's picture (so aspectFill crops nothing of the drawing);
 * sharp enough on a 2× phone screen, a few KB each.
 */
const WIDTH = 320;
const HEIGHT = 192;

type Rgb = readonly [number, number, number];
/** A shape: whether the point (x, y) of the 0–1 square drawn in the middle of the tile is inside it. */
type Shape = (x: number, y: number) => boolean;

const rect = (x0: number, y0: number, x1: number, y1: number, r = 0): Shape => (x, y) => {
  if (x < x0 || x > x1 || y < y0 || y > y1) return false;
  const dx = Math.max(x0 + r - x, 0, x - (x1 - r));
  const dy = Math.max(y0 + r - y, 0, y - (y1 - r));
  return dx * dx + dy * dy <= r * r;
};
const circle = (cx: number, cy: number, r: number): Shape => (x, y) => (x - cx) ** 2 + (y - cy) ** 2 <= r * r;
const ring = (cx: number, cy: number, r: number, width: number): Shape => (x, y) => Math.abs(Math.hypot(x - cx, y - cy) - r) <= width / 2;
const line = (x0: number, y0: number, x1: number, y1: number, width: number): Shape => (x, y) => {
  const t = Math.max(0, Math.min(1, ((x - x0) * (x1 - x0) + (y - y0) * (y1 - y0)) / ((x1 - x0) ** 2 + (y1 - y0) ** 2)));
  return Math.hypot(x - (x0 + t * (x1 - x0)), y - (y0 + t * (y1 - y0))) <= width / 2;
};
const above = (shape: Shape, yMax: number): Shape => (x, y) => y <= yMax && shape(x, y);

const WHITE: Rgb = [255, 255, 255];

/** One picture: a coloured tile with the item drawn simply in white and a darker shade of the tile. */
interface Drawing {
  background: Rgb;
  ink: Rgb;
  layers: { colour: 'white' | 'ink'; shapes: Shape[] }[];
}

/** The demo rewards' pictures, by reward name (demo-community.ts DEMO_REWARDS). */
const DRAWINGS: Record<string, Drawing> = {
  环保购物袋: {
    background: [76, 175, 120],
    ink: [40, 110, 70],
    layers: [
      { colour: 'white', shapes: [rect(0.25, 0.38, 0.75, 0.82, 0.04), above(ring(0.5, 0.38, 0.13, 0.05), 0.38)] },
      { colour: 'ink', shapes: [circle(0.5, 0.6, 0.08)] },
    ],
  },
  洗衣液: {
    background: [66, 133, 214],
    ink: [30, 80, 150],
    layers: [
      { colour: 'white', shapes: [rect(0.3, 0.32, 0.7, 0.84, 0.06), rect(0.42, 0.2, 0.58, 0.32, 0.02)] },
      { colour: 'ink', shapes: [rect(0.37, 0.5, 0.63, 0.66, 0.02), circle(0.5, 0.42, 0.025)] },
    ],
  },
  '抽纸（一提）': {
    background: [240, 160, 60],
    ink: [170, 100, 20],
    layers: [
      { colour: 'white', shapes: [rect(0.18, 0.45, 0.82, 0.8, 0.04), circle(0.5, 0.43, 0.1), circle(0.42, 0.36, 0.06), circle(0.58, 0.36, 0.06)] },
      { colour: 'ink', shapes: [rect(0.3, 0.55, 0.7, 0.6, 0.02)] },
    ],
  },
  理发券: {
    background: [200, 80, 100],
    ink: [130, 40, 60],
    layers: [
      { colour: 'white', shapes: [ring(0.33, 0.68, 0.09, 0.05), ring(0.67, 0.68, 0.09, 0.05), line(0.39, 0.61, 0.68, 0.2, 0.06), line(0.61, 0.61, 0.32, 0.2, 0.06)] },
      { colour: 'ink', shapes: [circle(0.5, 0.5, 0.025)] },
    ],
  },
  家电清洗服务: {
    background: [70, 170, 190],
    ink: [30, 110, 130],
    layers: [
      { colour: 'white', shapes: [rect(0.15, 0.25, 0.85, 0.52, 0.06), circle(0.35, 0.7, 0.05), circle(0.5, 0.76, 0.05), circle(0.65, 0.7, 0.05)] },
      { colour: 'ink', shapes: [rect(0.22, 0.42, 0.78, 0.45), rect(0.22, 0.34, 0.4, 0.37)] },
    ],
  },
  体检套餐: {
    background: [120, 110, 200],
    ink: [70, 60, 150],
    layers: [
      { colour: 'white', shapes: [circle(0.5, 0.5, 0.3)] },
      { colour: 'ink', shapes: [rect(0.43, 0.3, 0.57, 0.7, 0.02), rect(0.3, 0.43, 0.7, 0.57, 0.02)] },
    ],
  },
};

/** The PNG of a demo reward's picture, or null for a name that has no drawing. */
export function demoRewardPicture(name: string): Buffer | null {
  const drawing = DRAWINGS[name];
  if (!drawing) return null;
  const rgb = new Uint8Array(WIDTH * HEIGHT * 3);
  const margin = (WIDTH - HEIGHT) / 2;
  for (let py = 0; py < HEIGHT; py += 1) {
    for (let px = 0; px < WIDTH; px += 1) {
      const x = (px - margin + 0.5) / HEIGHT;
      const y = (py + 0.5) / HEIGHT;
      let colour: Rgb = drawing.background;
      for (const layer of drawing.layers) {
        if (layer.shapes.some((shape) => shape(x, y))) colour = layer.colour === 'white' ? WHITE : drawing.ink;
      }
      rgb.set(colour, (py * WIDTH + px) * 3);
    }
  }
  return encodePng(WIDTH, HEIGHT, rgb);
}
