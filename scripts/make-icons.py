"""Draws Mai's icons as PNGs with the standard library only: a rounded disc with a lighter inner ring.

The tray has one icon per machine state (src/main/trayPressure.ts), told apart by colour and, for anyone who cannot
tell the colours apart, by the centre: empty when calm, a dot when strained, a full disc when over the limit.
Each comes at 16 px and 32 px (@2x, which Electron picks on HiDPI screens). icon.png is the app icon that
electron-builder turns into the .icns/.ico/hicolor set; macOS needs at least 512 px.
"""
import math, struct, sys, zlib

LIGHT = (236, 226, 255)
STATES = {
    # state: (disc colour, radius of the light centre as a fraction of the disc, 0 for none)
    'calm': ((110, 72, 214), 0.0),
    'strained': ((214, 140, 20), 0.22),
    'over': ((200, 40, 48), 0.45),
}

def png(size, path, colour=(110, 72, 214), centre=0.0):
    rows = []
    c = (size - 1) / 2
    for y in range(size):
        row = bytearray([0])
        for x in range(size):
            d = math.hypot(x - c, y - c) / (size / 2)
            alpha = max(0.0, min(1.0, (1.0 - d) * size / 2))  # anti-aliased edge
            light = 0.55 < d < 0.68 or d < centre
            r, g, b = LIGHT if light else colour
            row += bytes([r, g, b, int(alpha * 255)])
        rows.append(bytes(row))
    raw = b''.join(rows)
    def chunk(kind, data):
        return struct.pack('>I', len(data)) + kind + data + struct.pack('>I', zlib.crc32(kind + data) & 0xffffffff)
    with open(path, 'wb') as f:
        f.write(b'\x89PNG\r\n\x1a\n' + chunk(b'IHDR', struct.pack('>IIBBBBB', size, size, 8, 6, 0, 0, 0))
                + chunk(b'IDAT', zlib.compress(raw, 9)) + chunk(b'IEND', b''))

out = sys.argv[1] if len(sys.argv) > 1 else 'resources'
for state, (colour, centre) in STATES.items():
    png(16, f'{out}/tray-{state}.png', colour, centre)
    png(32, f'{out}/tray-{state}@2x.png', colour, centre)
png(512, f'{out}/icon.png')
