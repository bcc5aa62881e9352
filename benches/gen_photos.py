#!/usr/bin/env python3
"""Camera-like test photos: 4000x3000 JPEGs of 3+ MB (textured, so they do not
compress small), with an EXIF orientation and a GPS position, as phones and
photographers deliver them.

    pip install pillow piexif
    python3 benches/gen_photos.py --out site-example/static/photos            # the 12 of site-example
    python3 benches/gen_photos.py --out /tmp/photos --count 200 --prefix p    # the benchmark's
    python3 benches/gen_photos.py --out tests/fixtures/images --count 1 --prefix rotated \
        --size 400x300 --orientation 6                                         # the tests' 

Each photo is drawn upright, then stored the way a camera held sideways
stores it, with the EXIF Orientation that turns it upright again: a red
square marks the upright top-left corner, so a test can tell whether
orientation was applied. The output is deterministic for a given seed.
"""
import argparse
import os
import random

import piexif
from PIL import Image, ImageDraw, ImageFilter

# Names of site-example's photos; other counts are numbered.
NAMES = [
    "grove-terraces", "harvest-crates", "olive-press", "bottle-window",
    "tin-kitchen", "gift-box-table", "tasting-glasses", "branch-closeup",
    "pruning-shears", "label-closeup", "market-stall", "sunset-grove",
]
# EXIF Orientation per photo, in turn: upright, 90° (the usual portrait
# shot), 180°, 270°.
ORIENTATIONS = [1, 6, 1, 3, 1, 6, 1, 8]
PALETTES = [
    [(86, 104, 44), (168, 160, 92), (224, 206, 150), (60, 72, 36)],
    [(120, 86, 40), (196, 150, 80), (70, 90, 40), (230, 214, 170)],
    [(40, 60, 30), (110, 130, 60), (200, 180, 110), (150, 100, 60)],
]


def upright(width, height, rng):
    """A textured scene drawn upright, `width` x `height`."""
    palette = rng.choice(PALETTES)
    small = Image.new("RGB", (width // 8, height // 8), palette[0])
    draw = ImageDraw.Draw(small)
    for _ in range(60):
        x, y = rng.randrange(small.width), rng.randrange(small.height)
        top = max(3, small.width // 3)
        r = rng.randrange(min(10, top - 1), top)
        draw.ellipse((x - r, y - r, x + r, y + r), fill=rng.choice(palette))
    scene = small.filter(ImageFilter.GaussianBlur(6 if width >= 3000 else 1)).resize((width, height), Image.BICUBIC)
    # Grain and fine texture, as a camera's sensor and the leaves give.
    grain = Image.merge("RGB", [Image.effect_noise((width, height), 48) for _ in range(3)])
    scene = Image.blend(scene, grain, 0.18)
    draw = ImageDraw.Draw(scene)
    side = width // 10
    draw.rectangle((0, 0, side, side), fill=(230, 20, 20))
    return scene


def stored(image, orientation):
    """The pixels as a camera stores them for `orientation`."""
    return {
        1: image,
        3: image.transpose(Image.Transpose.ROTATE_180),
        # 6: shown rotated 90° clockwise, so stored 90° counter-clockwise.
        6: image.transpose(Image.Transpose.ROTATE_90),
        8: image.transpose(Image.Transpose.ROTATE_270),
    }[orientation]


def exif(orientation, rng):
    lat, lon = 37.0 + rng.random(), 22.0 + rng.random()

    def dms(value):
        d = int(value)
        m = int((value - d) * 60)
        s = round(((value - d) * 60 - m) * 60 * 100)
        return ((d, 1), (m, 1), (s, 100))

    return piexif.dump({
        "0th": {
            piexif.ImageIFD.Make: b"Lander Test Camera",
            piexif.ImageIFD.Model: b"LT-1",
            piexif.ImageIFD.Orientation: orientation,
        },
        "Exif": {piexif.ExifIFD.DateTimeOriginal: b"2025:10:14 09:30:00"},
        "GPS": {
            piexif.GPSIFD.GPSLatitudeRef: b"N",
            piexif.GPSIFD.GPSLatitude: dms(lat),
            piexif.GPSIFD.GPSLongitudeRef: b"E",
            piexif.GPSIFD.GPSLongitude: dms(lon),
        },
    })


def main():
    ap = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    ap.add_argument("--out", required=True)
    ap.add_argument("--count", type=int, default=len(NAMES))
    ap.add_argument("--prefix", default="", help="number the photos PREFIX-001.jpg… instead of naming them")
    ap.add_argument("--seed", type=int, default=2025)
    ap.add_argument("--quality", type=int, default=92)
    ap.add_argument("--size", default="4000x3000", help="stored WIDTHxHEIGHT (landscape)")
    ap.add_argument("--orientation", type=int, help="this EXIF orientation for every photo")
    args = ap.parse_args()
    os.makedirs(args.out, exist_ok=True)
    for i in range(args.count):
        rng = random.Random(args.seed + i)
        orientation = args.orientation or ORIENTATIONS[i % len(ORIENTATIONS)]
        sw, sh = (int(n) for n in args.size.split("x"))
        # Stored landscape always: upright it is portrait when turned.
        w, h = (sh, sw) if orientation in (6, 8) else (sw, sh)
        image = stored(upright(w, h, rng), orientation)
        name = f"{args.prefix}-{i + 1:03}" if args.prefix or i >= len(NAMES) else NAMES[i]
        path = os.path.join(args.out, name + ".jpg")
        image.save(path, "JPEG", quality=args.quality, exif=exif(orientation, rng))
        print(f"{path}: {image.width}x{image.height}, orientation {orientation}, {os.path.getsize(path) / 1e6:.1f} MB")


if __name__ == "__main__":
    main()
