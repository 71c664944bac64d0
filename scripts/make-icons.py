"""Draws Mai's icons (a rounded violet disc with a lighter inner ring) as PNGs with the standard library only."""
import math, struct, sys, zlib

def png(size, path):
    rows = []
    c = (size - 1) / 2
    for y in range(size):
        row = bytearray([0])
        for x in range(size):
            d = math.hypot(x - c, y - c) / (size / 2)
            alpha = max(0.0, min(1.0, (1.0 - d) * size / 2))  # anti-aliased edge
            ring = 0.55 < d < 0.68
            r, g, b = (236, 226, 255) if ring else (110, 72, 214)
            row += bytes([r, g, b, int(alpha * 255)])
        rows.append(bytes(row))
    raw = b''.join(rows)
    def chunk(kind, data):
        return struct.pack('>I', len(data)) + kind + data + struct.pack('>I', zlib.crc32(kind + data) & 0xffffffff)
    with open(path, 'wb') as f:
        f.write(b'\x89PNG\r\n\x1a\n' + chunk(b'IHDR', struct.pack('>IIBBBBB', size, size, 8, 6, 0, 0, 0))
                + chunk(b'IDAT', zlib.compress(raw, 9)) + chunk(b'IEND', b''))

out = sys.argv[1] if len(sys.argv) > 1 else 'resources'
png(16, f'{out}/tray.png')
png(32, f'{out}/tray@2x.png')
png(256, f'{out}/icon.png')
