"""Renders a notMNIST-style image folder: the letters A–J in installed fonts.

A 28x28 grayscale set the `dcgan-mnist` recipe was not tuned on, built offline (no
download): each image is one letter, white on black like MNIST, drawn in one of the
chosen TrueType/OpenType fonts at a random size, rotation and offset, then blurred
slightly so strokes are anti-aliased at 28x28. Written as PNG files under
`<out>/<letter>/`, so it loads with `tfgan train --dataset <out>` (`from_folder`, which
converts to the preset's one channel) and `benchmarks/carry_over.py --data <out>` (one
class per letter). The fonts used are listed in `<out>/fonts.txt`.

    python scripts/make_font_letters.py --out runs/font_letters \\
        --fonts '/usr/share/fonts/**/dejavu/*'

Two sets were built this way (benchmarks/RESULTS.md): the 21 DejaVu faces of a bare
Debian image (sans, serif, mono, condensed, bold, oblique, light), and handwriting fonts
from Debian's packages (`apt-get install fonts-dkg-handwriting fonts-breip fonts-bwht
fonts-femkeklaver fonts-humor-sans fonts-comic-neue fonts-dancingscript
fonts-kaushanscript`):

    python scripts/make_font_letters.py --out runs/hand_letters --fonts \\
        '/usr/share/fonts/**/fifthhorseman/*' '/usr/share/fonts/**/breip/*' \\
        '/usr/share/fonts/**/bwht/*' '/usr/share/fonts/**/femkeklaver/*' \\
        '/usr/share/fonts/**/humor-sans/*' '/usr/share/fonts/**/comic-neue/*' \\
        '/usr/share/fonts/**/dancingscript/*' '/usr/share/fonts/**/kaushanscript/*'

The folder must not exist yet (nothing is overwritten); it is written under a temporary
name and renamed once complete.
"""

import argparse
import glob
import os
import pathlib
import sys

import numpy as np
from PIL import Image, ImageDraw, ImageFilter, ImageFont

LETTERS = "ABCDEFGHIJ"
SIZE = 28
# Drawn 4x larger, then reduced: smooth edges at 28x28.
_CANVAS = SIZE * 4


DEFAULT_FONTS = ("/usr/share/fonts/**/*.ttf", "/usr/share/fonts/**/*.otf")


def font_files(patterns=DEFAULT_FONTS):
    """The font files matching any of `patterns`, sorted (math fonts without Latin letters
    left out)."""
    return sorted({path for pattern in patterns for path in glob.glob(pattern, recursive=True)
                   if path.endswith((".ttf", ".otf")) and "Math" not in path})


def render(letter, font_path, rng):
    """One 28x28 uint8 image of `letter`: random height 55–85% of the image, rotation ±12°,
    centre offset ±2 pixels."""
    font = ImageFont.truetype(font_path, int(_CANVAS * rng.uniform(0.55, 0.85)))
    canvas = Image.new("L", (_CANVAS, _CANVAS), 0)
    draw = ImageDraw.Draw(canvas)
    left, top, right, bottom = draw.textbbox((0, 0), letter, font=font)
    draw.text(((_CANVAS - (right - left)) / 2 - left, (_CANVAS - (bottom - top)) / 2 - top),
              letter, fill=255, font=font)
    canvas = canvas.rotate(rng.uniform(-12, 12), resample=Image.BILINEAR)
    shift = rng.uniform(-2, 2, size=2) * _CANVAS / SIZE
    canvas = canvas.transform(canvas.size, Image.AFFINE, (1, 0, -shift[0], 0, 1, -shift[1]),
                              resample=Image.BILINEAR)
    canvas = canvas.filter(ImageFilter.GaussianBlur(1.0))
    return np.asarray(canvas.resize((SIZE, SIZE), Image.LANCZOS))


def main(argv=None):
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--out", required=True, type=pathlib.Path,
                        help="folder to create (must not exist)")
    parser.add_argument("--per-letter", type=int, default=1000,
                        help="images per letter (default 1000: 10,000 in all)")
    parser.add_argument("--fonts", nargs="+", default=DEFAULT_FONTS,
                        help="glob patterns of the font files to draw with (default: every "
                             "installed .ttf and .otf)")
    parser.add_argument("--seed", type=int, default=0)
    args = parser.parse_args(argv)
    if args.out.exists():
        raise SystemExit(f"--out {args.out} exists; pass a new folder (nothing is overwritten)")
    if args.per_letter < 1:
        raise SystemExit(f"--per-letter must be >= 1. Received: {args.per_letter}")
    fonts = font_files(args.fonts)
    if not fonts:
        raise SystemExit(f"no .ttf or .otf font matches --fonts {' '.join(args.fonts)}")
    rng = np.random.RandomState(args.seed)
    partial = args.out.with_name(args.out.name + ".partial")
    if partial.exists():
        raise SystemExit(f"{partial} exists (an interrupted run?); remove it first")
    for letter in LETTERS:
        (partial / letter).mkdir(parents=True)
        for i in range(args.per_letter):
            image = render(letter, fonts[rng.randint(len(fonts))], rng)
            Image.fromarray(image).save(partial / letter / f"{i:05d}.png")
        print(f"{letter}: {args.per_letter} images", file=sys.stderr)
    (partial / "fonts.txt").write_text("".join(f"{path}\n" for path in fonts))
    os.rename(partial, args.out)
    print(f"wrote {len(LETTERS) * args.per_letter} images in {len(fonts)} fonts to {args.out}")


if __name__ == "__main__":
    main()
