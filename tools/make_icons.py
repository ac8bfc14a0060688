"""Draw the app icons (static/img/icon-192.png, icon-512.png) from favicon.svg's shapes.

Standard library only (zlib and struct write the PNG): a square in the brand green with the
yellow bolt, anti-aliased by sampling each pixel row SUBROWS times. Full-bleed, so a phone that
rounds icon corners itself (iOS, Android launchers) shows no transparent edge. Run once after
changing the shapes: `.venv/bin/python tools/make_icons.py`.
"""

import struct
import zlib
from pathlib import Path

IMG = Path(__file__).resolve().parent.parent / "static" / "img"
BACKGROUND = (0x0B, 0x3D, 0x2E)  # --brand in app.css, the favicon's square
BOLT = (0xFF, 0xDD, 0x00)  # --focus in app.css, the favicon's bolt
# favicon.svg's path "M18 3 7 18h8l-2 11 12-16h-8z" on its 32 x 32 grid.
BOLT_POINTS = [(18, 3), (7, 18), (15, 18), (13, 29), (25, 13), (17, 13)]
GRID = 32
SUBROWS = 8


def spans(points: list[tuple[float, float]], y: float) -> list[tuple[float, float]]:
    """Where the horizontal line at y is inside the polygon (even-odd rule)."""
    crossings = []
    for (x1, y1), (x2, y2) in zip(points, points[1:] + points[:1], strict=True):
        if (y1 <= y < y2) or (y2 <= y < y1):
            crossings.append(x1 + (y - y1) * (x2 - x1) / (y2 - y1))
    crossings.sort()
    return list(zip(crossings[::2], crossings[1::2], strict=True))


def coverage(size: int) -> list[list[float]]:
    """For each pixel, the share of it the bolt covers (0 to 1)."""
    scale = size / GRID
    points = [(x * scale, y * scale) for x, y in BOLT_POINTS]
    rows = []
    for row in range(size):
        cover = [0.0] * size
        for sub in range(SUBROWS):
            for start, end in spans(points, row + (sub + 0.5) / SUBROWS):
                for column in range(max(0, int(start)), min(size, int(end) + 1)):
                    inside = min(end, column + 1) - max(start, column)
                    if inside > 0:
                        cover[column] += inside / SUBROWS
        rows.append(cover)
    return rows


def png(size: int) -> bytes:
    raw = bytearray()
    for cover in coverage(size):
        raw.append(0)  # filter type "None" for this row
        for share in cover:
            share = min(share, 1.0)
            pairs = zip(BACKGROUND, BOLT, strict=True)
            raw.extend(round(back * (1 - share) + bolt * share) for back, bolt in pairs)

    def chunk(kind: bytes, data: bytes) -> bytes:
        body = kind + data
        return struct.pack(">I", len(data)) + body + struct.pack(">I", zlib.crc32(body))

    header = struct.pack(">IIBBBBB", size, size, 8, 2, 0, 0, 0)  # 8-bit RGB, no interlace
    return (
        b"\x89PNG\r\n\x1a\n"
        + chunk(b"IHDR", header)
        + chunk(b"IDAT", zlib.compress(bytes(raw), 9))
        + chunk(b"IEND", b"")
    )


if __name__ == "__main__":
    for size in (192, 512):
        path = IMG / f"icon-{size}.png"
        path.write_bytes(png(size))
        print(f"wrote {path} ({path.stat().st_size} bytes)")
