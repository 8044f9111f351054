#!/usr/bin/env python3
"""Draws the tab bar icons (81x81 PNG, outline style) with the standard library only.

Run from this folder: python3 draw-icons.py. Each icon comes in grey (tab idle) and the theme colour (tab active).
"""
import math
import struct
import zlib

SIZE = 81
SCALE = 4  # supersampling for anti-aliasing
STROKE = 5.5
COLORS = {'': (0x66, 0x66, 0x66), '-active': (0xE8, 0x55, 0x2D)}


def seg(ax, ay, bx, by):
    def dist(x, y):
        dx, dy = bx - ax, by - ay
        t = max(0.0, min(1.0, ((x - ax) * dx + (y - ay) * dy) / (dx * dx + dy * dy)))
        return math.hypot(x - ax - t * dx, y - ay - t * dy)
    return dist


def arc(cx, cy, r, start_deg=0, end_deg=360):
    """Circle outline from start to end (degrees, 0 = east, counter-clockwise on screen: y grows down)."""
    def dist(x, y):
        angle = math.degrees(math.atan2(cy - y, x - cx)) % 360
        lo, hi = start_deg % 360, end_deg % 360
        inside = (lo <= angle <= hi) if lo <= hi else (angle >= lo or angle <= hi)
        if end_deg - start_deg >= 360 or inside:
            return abs(math.hypot(x - cx, y - cy) - r)
        ends = [(cx + r * math.cos(math.radians(a)), cy - r * math.sin(math.radians(a))) for a in (start_deg, end_deg)]
        return min(math.hypot(x - ex, y - ey) for ex, ey in ends)
    return dist


def dot(cx, cy, r):
    return lambda x, y: max(0.0, math.hypot(x - cx, y - cy) - r + STROKE / 2)


def polyline(*points):
    return [seg(*points[i], *points[i + 1]) for i in range(len(points) - 1)]


ICONS = {
    'home': polyline((10, 40), (40.5, 13), (71, 40))
    + polyline((19, 33), (19, 69), (62, 69), (62, 33))
    + polyline((33, 69), (33, 50), (48, 50), (48, 69)),
    'report': polyline((20, 16), (61, 16)) + polyline((70, 25), (70, 47)) + polyline((61, 56), (38, 56), (26, 68), (26, 56), (20, 56))
    + polyline((11, 47), (11, 25))
    + [arc(20, 25, 9, 90, 180), arc(61, 25, 9, 0, 90), arc(61, 47, 9, 270, 360), arc(20, 47, 9, 180, 270)]
    + [dot(27, 36, 3.5), dot(40.5, 36, 3.5), dot(54, 36, 3.5)],
    'consult': [arc(29, 30, 10), arc(54, 28, 9), arc(29, 68, 19, 0, 180), arc(57, 62, 16, 0, 90)],
    'mine': [arc(40.5, 28, 13), arc(40.5, 72, 26, 0, 180)],
}


def render(shapes, color):
    n = SIZE * SCALE
    coverage = [[0] * SIZE for _ in range(SIZE)]
    for py in range(n):
        y = (py + 0.5) / SCALE
        row = coverage[py // SCALE]
        for px in range(n):
            x = (px + 0.5) / SCALE
            if min(shape(x, y) for shape in shapes) <= STROKE / 2:
                row[px // SCALE] += 1
    raw = b''
    for row in coverage:
        raw += b'\x00' + b''.join(bytes((*color, round(255 * c / (SCALE * SCALE)))) for c in row)
    return raw


def png(raw):
    def chunk(kind, data):
        return struct.pack('>I', len(data)) + kind + data + struct.pack('>I', zlib.crc32(kind + data) & 0xFFFFFFFF)
    header = struct.pack('>IIBBBBB', SIZE, SIZE, 8, 6, 0, 0, 0)
    return b'\x89PNG\r\n\x1a\n' + chunk(b'IHDR', header) + chunk(b'IDAT', zlib.compress(raw, 9)) + chunk(b'IEND', b'')


if __name__ == '__main__':
    for name, shapes in ICONS.items():
        for suffix, color in COLORS.items():
            with open(f'{name}{suffix}.png', 'wb') as out:
                out.write(png(render(shapes, color)))
