#!/usr/bin/env python3
"""An independent PNG decoder (zlib + struct only) for RenderTests: checks every chunk CRC, inflates
IDAT, undoes the five scanline filters, and writes the pixels as raw 8-bit RGBA.

Usage: png_decode.py IN.png OUT.rgba   -> prints "WIDTH HEIGHT COLOR_TYPE"
Supports 8-bit greyscale (0), RGB (2), grey+alpha (4) and RGBA (6), non-interlaced.
"""
import struct
import sys
import zlib


def decode(path):
    data = open(path, "rb").read()
    if data[:8] != b"\x89PNG\r\n\x1a\n":
        raise ValueError("not a PNG signature")
    pos, idat, header = 8, b"", None
    while pos < len(data):
        length, kind = struct.unpack(">I4s", data[pos:pos + 8])
        body = data[pos + 8:pos + 8 + length]
        (crc,) = struct.unpack(">I", data[pos + 8 + length:pos + 12 + length])
        if zlib.crc32(kind + body) & 0xFFFFFFFF != crc:
            raise ValueError(f"bad CRC in chunk {kind!r}")
        if kind == b"IHDR":
            header = struct.unpack(">IIBBBBB", body)
        elif kind == b"IDAT":
            idat += body
        elif kind == b"IEND":
            break
        pos += 12 + length
    width, height, depth, color, _, _, interlace = header
    if depth != 8 or interlace != 0 or color not in (0, 2, 4, 6):
        raise ValueError(f"unsupported PNG: depth {depth}, colour type {color}, interlace {interlace}")
    channels = {0: 1, 2: 3, 4: 2, 6: 4}[color]
    raw = zlib.decompress(idat)
    stride = width * channels
    out = bytearray()
    previous = bytearray(stride)
    for row in range(height):
        start = row * (stride + 1)
        kind = raw[start]
        line = bytearray(raw[start + 1:start + 1 + stride])
        for i in range(stride):
            a = line[i - channels] if i >= channels else 0
            b = previous[i]
            c = previous[i - channels] if i >= channels else 0
            if kind == 1:
                line[i] = (line[i] + a) & 0xFF
            elif kind == 2:
                line[i] = (line[i] + b) & 0xFF
            elif kind == 3:
                line[i] = (line[i] + (a + b) // 2) & 0xFF
            elif kind == 4:
                p = a + b - c
                pa, pb, pc = abs(p - a), abs(p - b), abs(p - c)
                predictor = a if pa <= pb and pa <= pc else (b if pb <= pc else c)
                line[i] = (line[i] + predictor) & 0xFF
            elif kind != 0:
                raise ValueError(f"bad filter type {kind} in row {row}")
        for x in range(width):
            pixel = line[x * channels:(x + 1) * channels]
            if channels == 1:
                out += bytes((pixel[0], pixel[0], pixel[0], 255))
            elif channels == 2:
                out += bytes((pixel[0], pixel[0], pixel[0], pixel[1]))
            elif channels == 3:
                out += pixel + b"\xff"
            else:
                out += pixel
        previous = line
    return width, height, color, bytes(out)


if __name__ == "__main__":
    width, height, color, pixels = decode(sys.argv[1])
    open(sys.argv[2], "wb").write(pixels)
    print(width, height, color)
