"""×4 super-resolution on a CPU budget: bicubic vs SRResNet vs SRGAN, PSNR/SSIM (Y, RGB).

Runs `examples/srgan.py` (the paper's two stages: SRResNet on the pixel MSE, then SRGAN
initialized from it, `MSE + 1e-3 · adversarial`, the paper's SRGAN-MSE since no VGG19
ImageNet weights exist offline) for a wall-clock budget per stage on

- the facades photos (`facades/train`, the left half of each side-by-side image, 32x32 HR
  training crops; test on the centre 128x128 crop of each of the 106 `facades/test`
  photos, i.e. 32x32 inputs), and
- the CIFAR-10 subset (TFDS `cifar10`, the 10,000 training images; test on the first
  1,000 test images, whole 32x32, i.e. 8x8 inputs),

and evaluates bicubic upsampling, SRResNet and SRGAN with
`tfgan.metrics.evaluate_super_resolution` (`tf.image` PSNR/SSIM, 4 border pixels
cropped; FID/KID of the outputs against the ground truth in `--extractor`'s features). CPU recipe, not the paper's: 8 residual blocks and 32 filters (the paper: 16
and 64, 6x the parameters and 4-9x the step time on this shared CPU); no batch norm in
the generator (as EDSR; in 150 s probes on 30 facades test crops, Y PSNR: bicubic 23.55
dB, SRResNet with BN 21.21 after 222 steps, without 23.80 after 355); discriminator base
32 filters (paper 64); 32x32 HR training crops (paper 96; with 64x64 crops facades
SRResNet made 211 steps in 270 s and stayed 0.26 dB below bicubic); learning rate 5e-4
for SRResNet (paper 1e-4: too slow to leave bicubic behind in minutes) and the paper's
1e-4 for SRGAN. Writes `benchmarks/super_resolution.json` (`--sets` updates only its
sets' entries) and one picture per set in `docs/` (rows: input | bicubic | SRResNet |
SRGAN | ground truth).

    PYTHONPATH=. nice -n 5 python benchmarks/super_resolution.py --pretrain_seconds 270 \
        --gan_seconds 240
"""

import argparse
import json
import pathlib
import sys

ROOT = pathlib.Path(__file__).resolve().parents[1]
DATA = ROOT.parent / "shared" / "data"
sys.path.insert(0, str(ROOT / "examples"))

import srgan as recipe  # noqa: E402  (examples/srgan.py)
from tfgan.utils.io import atomic_write_bytes  # noqa: E402

SETS = {
    "facades": ["--data", str(DATA / "facades"), "--pair_side", "left", "--hr_size", "32",
                "--test_hr_size", "128"],
    "cifar10": ["--data", "cifar10", "--data_dir", str(DATA / "tensorflow_datasets"),
                "--pair_side", "none", "--hr_size", "32", "--test_limit", "1000"],
}
CPU_RECIPE = ["--num_blocks", "8", "--filters", "32", "--d_filters", "32",
              "--normalization", "none", "--learning_rate", "5e-4",
              "--gan_learning_rate", "1e-4", "--pretrain_steps", "100000",
              "--gan_steps", "100000"]


def main(argv=None):
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--sets", default="facades,cifar10")
    parser.add_argument("--pretrain_seconds", type=float, default=270)
    parser.add_argument("--gan_seconds", type=float, default=240)
    parser.add_argument("--extractor", default="cifar10",
                        help="feature space of the outputs' FID/KID (default: the shipped "
                             "CIFAR-10 classifier's features, images resized to 32x32)")
    parser.add_argument("--runs", default="runs/super_resolution")
    parser.add_argument("--save", default=str(ROOT / "benchmarks" / "super_resolution.json"))
    args = parser.parse_args(argv)
    save = pathlib.Path(args.save)
    # Runs of some `--sets` update their entries and keep the others'.
    results = json.loads(save.read_text()) if save.is_file() else {}
    for name in args.sets.split(","):
        out = pathlib.Path(args.runs) / name
        results[name] = recipe.main([*SETS[name], *CPU_RECIPE, "--out", str(out),
                                     "--pretrain_seconds", str(args.pretrain_seconds),
                                     "--gan_seconds", str(args.gan_seconds),
                                     "--extractor", args.extractor])
        atomic_write_bytes(ROOT / "docs" / f"srgan_{name}_x4.png",
                           (out / "test_rows.png").read_bytes())
        atomic_write_bytes(save, (json.dumps(results, indent=2) + "\n").encode())
    for name, result in results.items():
        print(name, {model: {k: round(v, 3) for k, v in row.items()}
                     for model, row in result["results"].items()})


if __name__ == "__main__":
    main()
