#!/usr/bin/env python3
"""Draws the H5 favicon (favicon.ico: one 32x32 PNG inside, as browsers accept) with the standard library only.

A rounded square in the theme colour with a white roof and door: home, 邻里. Run from this folder.
"""
import math
import struct
import zlib

SIZE, SCALE = 32, 4
BG, FG = (0xC2, 0x3B, 0x17), (0xFF, 0xFF, 0xFF)


def inside_rounded(x, y, r=7):
    cx, cy = min(max(x, r), SIZE - r), min(max(y, r), SIZE - r)
    return math.hypot(x - cx, y - cy) <= r


def on_house(x, y):
    # Roof: two strokes from the eaves to the ridge; walls and a door.
    def seg(ax, ay, bx, by, w=2.2):
        dx, dy = bx - ax, by - ay
        t = max(0.0, min(1.0, ((x - ax) * dx + (y - ay) * dy) / (dx * dx + dy * dy)))
        return math.hypot(x - ax - t * dx, y - ay - t * dy) <= w / 2
    roof = seg(6, 16, 16, 7) or seg(16, 7, 26, 16)
    walls = seg(9.5, 14, 9.5, 25) or seg(22.5, 14, 22.5, 25) or seg(9.5, 25, 22.5, 25)
    door = 14 <= x <= 18 and 18 <= y <= 25
    return roof or walls or door


rows = []
for py in range(SIZE):
    row = bytearray([0])
    for px in range(SIZE):
        hits_bg = hits_fg = 0
        for sy in range(SCALE):
            for sx in range(SCALE):
                x, y = px + (sx + 0.5) / SCALE, py + (sy + 0.5) / SCALE
                if inside_rounded(x, y):
                    hits_bg += 1
                    hits_fg += on_house(x, y)
        n = SCALE * SCALE
        a = hits_bg / n
        f = hits_fg / max(hits_bg, 1)
        rgb = [round(BG[i] * (1 - f) + FG[i] * f) for i in range(3)]
        row += bytes(rgb + [round(255 * a)])
    rows.append(bytes(row))


def chunk(kind, data):
    return struct.pack('>I', len(data)) + kind + data + struct.pack('>I', zlib.crc32(kind + data) & 0xFFFFFFFF)


png = b'\x89PNG\r\n\x1a\n' + chunk(b'IHDR', struct.pack('>IIBBBBB', SIZE, SIZE, 8, 6, 0, 0, 0)) + chunk(b'IDAT', zlib.compress(b''.join(rows), 9)) + chunk(b'IEND', b'')
ico = struct.pack('<HHH', 0, 1, 1) + struct.pack('<BBBBHHII', SIZE, SIZE, 0, 0, 1, 32, len(png), 22) + png
with open('favicon.ico', 'wb') as out:
    out.write(ico)
