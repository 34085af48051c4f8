"""Inpainting with Context Encoders: fill the centre of images from their surroundings.

Pathak et al. (2016) train an encoder-decoder to paint the missing centre of a photo: it
sees the image with a hole (and, here, the mask) and is trained on the hole with a
reconstruction loss (L2, weight 0.999) plus a small adversarial loss (0.001) from a
discriminator that judges the completed image. The L2 term alone paints the blurry mean of
every plausible filling; the adversarial term pushes towards one sharp filling. Iizuka et
al. (2017) add a local discriminator that judges only the region around the hole
(`--local`).

The output keeps every known pixel exactly and takes only the hole from the network. On
the deterministic test split (centre crops, masks fixed by the seed) the script reports
PSNR/SSIM on the hole for two classical baselines, the mean colour of the known pixels and
OpenCV's Telea inpainting (`pip install "tfgan[restoration]"`), and for the GAN, and writes
input | output | ground truth triplets.

Run (any image folder or TFDS name; `--pair_side left` takes the photo half of
side-by-side pairs such as the facades set):

    python examples/inpainting.py --data cifar10 \
        --data_dir ../shared/data/tensorflow_datasets --image_size 32 --epochs 5
    python examples/inpainting.py --data ../shared/data/facades --pair_side left \
        --image_size 64 --epochs 20
    python examples/inpainting.py --smoke
"""

import argparse
import json
import pathlib
import time

import keras
import numpy as np

import tfgan
from tfgan.metrics import inpainting as hole_metrics
from tfgan.utils.images import save_side_by_side

SHARED = pathlib.Path(__file__).resolve().parents[2] / "shared" / "data"


def parse_args(argv=None):
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--data", default="cifar10",
                        help="A folder of images (with train/ and test/ when it has them) or "
                             "a TFDS name.")
    parser.add_argument("--data_dir", default=str(SHARED / "tensorflow_datasets"),
                        help="TFDS data directory.")
    parser.add_argument("--pair_side", choices=("left", "right"), default=None,
                        help="The folder holds side-by-side pairs: use this half.")
    parser.add_argument("--mask", default="center",
                        help="center, rectangles, free_form or a folder of mask images.")
    parser.add_argument("--image_size", type=int, default=32)
    parser.add_argument("--epochs", type=int, default=5)
    parser.add_argument("--steps_per_epoch", type=int, default=None)
    parser.add_argument("--batch_size", type=int, default=32)
    parser.add_argument("--base_filters", type=int, default=64)
    parser.add_argument("--local", action="store_true",
                        help="Add the local discriminator of Iizuka et al. (2017).")
    parser.add_argument("--adversarial_weight", type=float, default=0.001,
                        help="λ_adv (Pathak et al.: 0.001); 0 trains the L2-only encoder.")
    parser.add_argument("--limit", type=int, default=None,
                        help="Use the first N images of each split.")
    parser.add_argument("--test_images", type=int, default=200)
    parser.add_argument("--seed", type=int, default=0)
    parser.add_argument("--out", default="runs/inpainting")
    parser.add_argument("--smoke", action="store_true",
                        help="Tiny run: 32x32 images, 8 filters, 2 steps, 8 test images.")
    args = parser.parse_args(argv)
    if args.smoke:
        args.image_size, args.base_filters, args.epochs = 32, 8, 1
        args.steps_per_epoch, args.batch_size, args.test_images = 2, 4, 8
        args.limit = 16
    return args


# ## The data
# `inpainting_examples` cuts examples out of any source: training examples get random
# jitter and a fresh mask each, the test split is the centred square with a mask fixed by
# `(seed, index)`, the same every run. A side-by-side folder is first split into its
# halves (`split_pair`) and read as an array.

def source(args, split):
    data = pathlib.Path(args.data)
    if not data.is_dir():
        return args.data, {"split": split, "data_dir": args.data_dir}
    folder = data / split if (data / split).is_dir() else data
    if args.pair_side is None:
        return str(folder), {}
    size = args.image_size if split == "test" else tfgan.datasets.paired.default_load_size(
        args.image_size)
    pairs = tfgan.datasets.paired_dataset(folder, batch_size=32, image_size=size,
                                          input_side=args.pair_side, jitter=False,
                                          shuffle=False, limit=args.limit)
    return np.concatenate([x.numpy() for x, _ in pairs]), {}


def test_split(args):
    images, kwargs = source(args, "test")
    dataset = tfgan.datasets.inpainting_examples(
        images, mask=args.mask, image_size=args.image_size, batch_size=64, training=False,
        seed=args.seed, limit=args.test_images, **kwargs)
    images, masks = zip(*[(x.numpy(), m.numpy()) for x, m in dataset])
    return np.concatenate(images), np.concatenate(masks)


# ## The model
# The context encoder (channel-wise fully connected bottleneck) and DCGAN discriminators;
# the paper's weights and DCGAN's Adam(2e-4, β1 = 0.5).

def build_model(args):
    shape = (args.image_size, args.image_size, 3)
    arch = tfgan.architectures
    local = (arch.inpainting_discriminator(shape, base_filters=args.base_filters, local=True)
             if args.local else None)
    model = tfgan.Inpainting(arch.inpainting_generator(shape, base_filters=args.base_filters),
                             arch.inpainting_discriminator(shape,
                                                           base_filters=args.base_filters),
                             local, seed=args.seed)
    model.compile(adversarial_weight=args.adversarial_weight)
    return model


def main(argv=None):
    args = parse_args(argv)
    out = pathlib.Path(args.out)
    out.mkdir(parents=True, exist_ok=True)
    keras.utils.set_random_seed(args.seed)

    # ## Train
    images, kwargs = source(args, "train")
    train = tfgan.datasets.inpainting_examples(
        images, mask=args.mask, image_size=args.image_size, batch_size=args.batch_size,
        seed=args.seed, repeat=args.steps_per_epoch is not None, limit=args.limit, **kwargs)
    model = build_model(args)
    start = time.time()
    history = model.fit(train, epochs=args.epochs, steps_per_epoch=args.steps_per_epoch,
                        verbose=2).history
    train_seconds = time.time() - start
    tfgan.utils.save_model(model, out / "inpainting.keras")

    # ## Evaluate on the holes of the test split
    # PSNR/SSIM on each hole's bounding box: for the centre square, exactly the hole.
    targets, masks = test_split(args)
    methods = {**hole_metrics.BASELINES, "gan": model.inpaint}
    report = hole_metrics.compare_on_holes(targets, masks, methods)
    save_side_by_side([np.where(masks[:8] > 0.5, 0.0, targets[:8]),
                       model.inpaint(targets[:8], masks[:8]), targets[:8]],
                      out / "test_triplets.png")
    results = {"data": args.data, "mask": args.mask, "image_size": args.image_size,
               "epochs": args.epochs, "train_seconds": round(train_seconds, 1),
               "test_images": len(targets), "seed": args.seed,
               "hole_psnr_ssim": {name: {k: round(v, 4) for k, v in scores.items()}
                                  for name, scores in report.items()},
               "history": {k: [round(float(v), 4) for v in vs] for k, vs in history.items()}}
    (out / "results.json").write_text(json.dumps(results, indent=2))
    print(json.dumps({k: v for k, v in results.items() if k != "history"}, indent=2))
    return results


if __name__ == "__main__":
    main()
