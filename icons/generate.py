#!/usr/bin/env python3
"""Draws Onbehalf's app icon set and one tray icon per state, with the standard library only.

Shapes are signed distance functions, so every size is anti-aliased analytically and stays crisp
at 16-32 px. Run from anywhere: `python3 icons/generate.py`; the files land beside this script.
"""

import math
import os
import struct
import zlib

HERE = os.path.dirname(os.path.abspath(__file__))


# ---------------------------------------------------------------- shapes (unit square, y down)

def sd_round_rect(px, py, x0, y0, x1, y1, r):
    cx, cy = (x0 + x1) / 2, (y0 + y1) / 2
    hx, hy = (x1 - x0) / 2 - r, (y1 - y0) / 2 - r
    qx, qy = abs(px - cx) - hx, abs(py - cy) - hy
    outside = math.hypot(max(qx, 0.0), max(qy, 0.0))
    inside = min(max(qx, qy), 0.0)
    return outside + inside - r


def sd_circle(px, py, cx, cy, r):
    return math.hypot(px - cx, py - cy) - r


def sd_segment(px, py, ax, ay, bx, by, w):
    """A capsule of width w from a to b."""
    pax, pay = px - ax, py - ay
    bax, bay = bx - ax, by - ay
    h = max(0.0, min(1.0, (pax * bax + pay * bay) / (bax * bax + bay * bay)))
    return math.hypot(pax - bax * h, pay - bay * h) - w / 2


def sd_arc(px, py, cx, cy, r, w, a0, a1):
    """A ring of radius r and width w from angle a0 to a1 (radians, clockwise on screen)."""
    dx, dy = px - cx, py - cy
    a = math.atan2(dy, dx) % (2 * math.pi)
    lo, hi = a0 % (2 * math.pi), a1 % (2 * math.pi)
    within = lo <= a <= hi if lo <= hi else (a >= lo or a <= hi)
    if within:
        return abs(math.hypot(dx, dy) - r) - w / 2
    ends = [(cx + r * math.cos(t), cy + r * math.sin(t)) for t in (a0, a1)]
    return min(math.hypot(px - ex, py - ey) for ex, ey in ends) - w / 2


def sd_triangle(px, py, a, b, c):
    """Exact distance to a triangle (negative inside)."""
    pts = [a, b, c]
    d = float("inf")
    sign_sum = 0
    for i in range(3):
        (x0, y0), (x1, y1) = pts[i], pts[(i + 1) % 3]
        ex, ey = x1 - x0, y1 - y0
        wx, wy = px - x0, py - y0
        h = max(0.0, min(1.0, (wx * ex + wy * ey) / (ex * ex + ey * ey)))
        d = min(d, math.hypot(wx - ex * h, wy - ey * h))
        sign_sum += 1 if (ex * wy - ey * wx) > 0 else -1
    inside = abs(sign_sum) == 3
    return -d if inside else d


# ---------------------------------------------------------------- raster

def hex_rgb(h):
    h = h.lstrip("#")
    return tuple(int(h[i:i + 2], 16) / 255 for i in (0, 2, 4))


def render(size, layers):
    """layers: list of (sdf(px, py) -> distance in unit coords, colour(px, py) -> rgb)."""
    px_unit = 1.0 / size
    rows = []
    for j in range(size):
        row = bytearray()
        for i in range(size):
            x, y = (i + 0.5) * px_unit, (j + 0.5) * px_unit
            r = g = b = a = 0.0
            for sdf, colour in layers:
                cov = max(0.0, min(1.0, 0.5 - sdf(x, y) / px_unit))
                if cov <= 0.0:
                    continue
                cr, cg, cb = colour(x, y)
                # Porter-Duff "over" with premultiplied accumulation.
                r = cr * cov + r * (1 - cov)
                g = cg * cov + g * (1 - cov)
                b = cb * cov + b * (1 - cov)
                a = cov + a * (1 - cov)
            if a > 0:
                row += bytes(round(min(1.0, v / a) * 255) for v in (r, g, b))
            else:
                row += b"\0\0\0"
            row.append(round(a * 255))
        rows.append(bytes(row))
    return rows


def png_bytes(rows):
    size_y = len(rows)
    size_x = len(rows[0]) // 4

    def chunk(kind, data):
        body = kind + data
        return struct.pack(">I", len(data)) + body + struct.pack(">I", zlib.crc32(body) & 0xFFFFFFFF)

    raw = b"".join(b"\0" + r for r in rows)
    return (
        b"\x89PNG\r\n\x1a\n"
        + chunk(b"IHDR", struct.pack(">IIBBBBB", size_x, size_y, 8, 6, 0, 0, 0))
        + chunk(b"IDAT", zlib.compress(raw, 9))
        + chunk(b"IEND", b"")
    )


def write(name, data):
    with open(os.path.join(HERE, name), "wb") as f:
        f.write(data)


def solid(hexcolour):
    rgb = hex_rgb(hexcolour)
    return lambda x, y: rgb


def union(*sdfs):
    return lambda x, y: min(s(x, y) for s in sdfs)


# ---------------------------------------------------------------- tray icons

WHITE = solid("#ffffff")


def calendar_body(x, y):
    """A filled calendar page with two binder rings: legible on light and dark panels."""
    body = sd_round_rect(x, y, 0.08, 0.16, 0.92, 0.94, 0.14)
    ring_l = sd_round_rect(x, y, 0.25, 0.04, 0.37, 0.28, 0.06)
    ring_r = sd_round_rect(x, y, 0.63, 0.04, 0.75, 0.28, 0.06)
    return min(body, ring_l, ring_r)


def glyph_check(x, y):
    return min(
        sd_segment(x, y, 0.29, 0.60, 0.44, 0.75, 0.13),
        sd_segment(x, y, 0.44, 0.75, 0.72, 0.44, 0.13),
    )


def glyph_pause(x, y):
    return min(
        sd_round_rect(x, y, 0.32, 0.40, 0.45, 0.80, 0.04),
        sd_round_rect(x, y, 0.55, 0.40, 0.68, 0.80, 0.04),
    )


def glyph_error(x, y):
    return min(
        sd_segment(x, y, 0.5, 0.40, 0.5, 0.63, 0.14),
        sd_circle(x, y, 0.5, 0.80, 0.075),
    )


def glyph_signed_out(x, y):
    """A bar across the page: nobody signed in."""
    return sd_segment(x, y, 0.30, 0.60, 0.70, 0.60, 0.14)


def glyph_sync(x, y):
    cx, cy, r = 0.5, 0.60, 0.20
    start, end = math.radians(-60), math.radians(220)
    head_angle = start
    hx, hy = cx + r * math.cos(head_angle), cy + r * math.sin(head_angle)
    # Arrowhead pointing along the direction of travel at the arc's start.
    tx, ty = -math.sin(head_angle), math.cos(head_angle)
    nx, ny = math.cos(head_angle), math.sin(head_angle)
    size = 0.13
    tip = (hx - tx * size, hy - ty * size)
    base_a = (hx + nx * size * 0.95, hy + ny * size * 0.95)
    base_b = (hx - nx * size * 0.95, hy - ny * size * 0.95)
    return min(
        sd_arc(x, y, cx, cy, r, 0.11, start, end),
        sd_triangle(x, y, tip, base_a, base_b),
    )


TRAY = {
    "tray-ok.png": ("#2563eb", glyph_check),
    "tray-syncing.png": ("#0891b2", glyph_sync),
    "tray-paused.png": ("#6b7280", glyph_pause),
    "tray-error.png": ("#dc2626", glyph_error),
    "tray-attention.png": ("#d97706", glyph_error),
    "tray-signed-out.png": ("#9ca3af", glyph_signed_out),
}


def tray_icon(size, colour, glyph):
    return render(size, [(calendar_body, solid(colour)), (glyph, WHITE)])


# ---------------------------------------------------------------- app icon

def app_icon(size):
    top, bottom = hex_rgb("#3b82f6"), hex_rgb("#1d4ed8")

    def gradient(x, y):
        t = max(0.0, min(1.0, y))
        return tuple(a + (b - a) * t for a, b in zip(top, bottom))

    tile = lambda x, y: sd_round_rect(x, y, 0.04, 0.04, 0.96, 0.96, 0.22)
    page = lambda x, y: sd_round_rect(x, y, 0.22, 0.27, 0.78, 0.80, 0.07)
    header = lambda x, y: max(
        sd_round_rect(x, y, 0.22, 0.27, 0.78, 0.80, 0.07), y - 0.40
    )
    rings = union(
        lambda x, y: sd_round_rect(x, y, 0.33, 0.20, 0.40, 0.33, 0.035),
        lambda x, y: sd_round_rect(x, y, 0.60, 0.20, 0.67, 0.33, 0.035),
    )
    check = union(
        lambda x, y: sd_segment(x, y, 0.37, 0.59, 0.46, 0.68, 0.065),
        lambda x, y: sd_segment(x, y, 0.46, 0.68, 0.64, 0.49, 0.065),
    )
    return render(
        size,
        [
            (tile, gradient),
            (page, solid("#ffffff")),
            (header, solid("#bfdbfe")),
            (rings, solid("#ffffff")),
            (check, solid("#1d4ed8")),
        ],
    )


def ico_bytes(pngs):
    """An ICO holding PNG-compressed images (supported since Windows Vista)."""
    header = struct.pack("<HHH", 0, 1, len(pngs))
    offset = 6 + 16 * len(pngs)
    entries, blobs = b"", b""
    for size, data in pngs:
        dim = 0 if size >= 256 else size
        entries += struct.pack("<BBBBHHII", dim, dim, 0, 0, 1, 32, len(data), offset)
        blobs += data
        offset += len(data)
    return header + entries + blobs


def icns_bytes(pngs):
    """An ICNS with PNG payloads: ic07 = 128, ic08 = 256, ic09 = 512."""
    kinds = {128: b"ic07", 256: b"ic08", 512: b"ic09"}
    body = b"".join(
        kinds[size] + struct.pack(">I", 8 + len(data)) + data for size, data in pngs
    )
    return b"icns" + struct.pack(">I", 8 + len(body)) + body


def main():
    for name, (colour, glyph) in TRAY.items():
        write(name, png_bytes(tray_icon(32, colour, glyph)))
    sizes = {}
    for size in (16, 32, 48, 128, 256, 512):
        sizes[size] = png_bytes(app_icon(size))
    write("32x32.png", sizes[32])
    write("128x128.png", sizes[128])
    write("128x128@2x.png", sizes[256])
    write("icon.png", sizes[512])
    write("icon.ico", ico_bytes([(s, sizes[s]) for s in (16, 32, 48, 256)]))
    write("icon.icns", icns_bytes([(s, sizes[s]) for s in (128, 256, 512)]))


if __name__ == "__main__":
    main()
