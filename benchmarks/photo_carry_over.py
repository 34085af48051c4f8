"""Carry-over of the RGB DCGAN presets to a folder of photos they were not tuned on.

There is no ImageNet Inception offline and no labels to train a judge on an unconditional
photo folder, so the judge is the CIFAR-10 classifier that ships with tfgan (trained on
32x32 photos of ten object classes, horses among them; `benchmarks/RESULTS.md` gives its
accuracy and protocol): FID and KID in its 128-d features of `--samples` generated images
(`model.generate`, latent seed 0, resized to 32x32 by `tfgan.datasets.resize`) against
every image of `--train` (the folder the GANs trained on, resized the same way), and the
share of each CIFAR-10 class the classifier gives them. The images of `--held-out` (real
photos of the same kind that no GAN saw) judged the same way against the same reference
give the floor; as it holds fewer images than the samples, read its KID (unbiased in the
sample count) against the GANs', its FID only as a rough floor.

    PYTHONPATH=. python benchmarks/photo_carry_over.py --train runs/h2z/train \\
        --held-out runs/h2z/test --models runs/photo/h2z32_paper/gan.keras

The feature space is a 32x32 CIFAR-10 classifier's, tfgan's own: numbers compare runs of
this script, not papers.
"""

import argparse
import pathlib
import sys

import keras
import numpy as np

import tfgan
from tfgan.utils.io import append_json_line

ROOT = pathlib.Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT / "benchmarks"))
import _judged  # noqa: E402

JUDGE = "cifar10"
CLASSES = ("airplane", "automobile", "bird", "cat", "deer", "dog", "frog", "horse", "ship",
           "truck")


def folder_images(folder, size):
    """Every image of `folder` (recursively) at `size`, RGB in [-1, 1], in a seeded
    shuffled order (the score's splits are consecutive rows)."""
    data = tfgan.datasets.load(str(folder), image_size=size, channels=3, shuffle=False,
                               batch_size=500, drop_remainder=False, cache=False)
    images = np.concatenate([np.asarray(batch) for batch in data])
    return images[np.random.default_rng(0).permutation(len(images))]


def resized_sampler(model, size):
    """`(n, seed) -> images`: the model's samples resized to `size` as the reference
    folder's images are (`tfgan.datasets.resize`)."""
    def sample(n, seed):
        return np.asarray(tfgan.datasets.resize(model.generate(n, seed=seed), size))
    return sample


def main(argv=None):
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--train", required=True, type=pathlib.Path,
                        help="the folder of photos the GANs trained on (the reference)")
    parser.add_argument("--held-out", required=True, type=pathlib.Path,
                        help="a folder of photos of the same kind no GAN trained on (the floor)")
    parser.add_argument("--models", nargs="+", required=True, type=pathlib.Path,
                        help="gan.keras files of `tfgan train` runs on --train")
    parser.add_argument("--samples", type=int, default=2_000)
    parser.add_argument("--save", type=pathlib.Path, help="append one JSON line per model")
    args = parser.parse_args(argv)
    for folder in (args.train, args.held_out):
        if not folder.is_dir():
            raise SystemExit(f"Expected a folder of images. Not found: {folder}")
    _judged.check_models(args.models, "GAN")
    if args.samples < 4:
        raise SystemExit(f"--samples must be >= 4 (KID needs two subsets). "
                         f"Received: {args.samples}")

    judge = _judged.ClassifierJudge(JUDGE, reference=str(args.train))
    held_out = folder_images(args.held_out, judge.size)
    results = [{"model": f"real: {args.held_out}",
                **judge(lambda n, seed: held_out[:n], len(held_out))}]
    for path in args.models:
        sampler = resized_sampler(keras.saving.load_model(path), judge.size)
        results.append({"model": str(path), **judge(sampler, args.samples)})
    for result in results:
        result.update({"train": str(args.train), "judge": judge.name})
        shares = sorted(zip(result["class_shares"], CLASSES), reverse=True)[:3]
        print(f"{result['model']}: FID {result['fid']}, KID {result['kid']} ± "
              f"{result['kid_std']} ({result['samples']:,} images); CIFAR-10 classes "
              + ", ".join(f"{name} {100 * share:.0f}%" for share, name in shares))
        if args.save:
            append_json_line(args.save, result)


if __name__ == "__main__":
    main()
