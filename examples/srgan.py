"""SRGAN: ×4 photo super-resolution with a GAN (Ledig et al. 2017).

The paper's recipe: an SRResNet generator (16 residual blocks, 64 filters, PReLU, two ×2
sub-pixel upsamplings) first trained on the pixel MSE alone ("SRResNet"), then
fine-tuned as the generator of a GAN against a VGG-style discriminator with
`content + 1e-3 · adversarial` ("SRGAN"); Adam(1e-4, β1 = 0.9), 96x96 HR crops, batch 16,
low-resolution inputs made by bicubic downscaling. The paper's content loss for SRGAN
is on VGG19 features (φ5,4 / 12.75); `--vgg_weights imagenet` (or a local notop .h5)
turns it on; without the ImageNet weights (none can be downloaded offline) this runs the
paper's SRGAN-MSE variant.

Each stage trains for a number of steps or a wall-clock budget (`--pretrain_seconds`,
`--gan_seconds`), so the recipe scales down to a CPU: fewer blocks and filters and smaller
crops (`--num_blocks 8 --filters 32 --hr_size 64`). After training it evaluates bicubic
upsampling, SRResNet and SRGAN on the deterministic test split (centre crops) with PSNR
and SSIM on the luma (Y) and RGB, `scale` border pixels cropped, and writes a picture
with one row per test image: input (pixels enlarged) | bicubic | SRResNet | SRGAN |
ground truth.

Run (facades: the photo is the left half of each side-by-side image; any folder with
train/ and test/, or a TFDS name with `--data_dir`, works the same):

    python examples/srgan.py --data ../shared/data/facades --pair_side left \
        --num_blocks 8 --filters 32 --hr_size 64 --pretrain_seconds 240 \
        --gan_seconds 240 --out runs/srgan_facades
    python examples/srgan.py --data ../shared/data/facades --pair_side left --smoke
"""

import argparse
import json
import pathlib
import time

import keras
import numpy as np

import tfgan
from tfgan.utils.images import make_grid
from tfgan.utils.io import atomic_write_bytes
from tfgan.utils.images import save_image


def parse_args(argv=None):
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--data", default=str(
        pathlib.Path(__file__).resolve().parents[2] / "shared" / "data" / "facades"),
        help="a folder (with train/ and test/ sub-folders, or not) or a TFDS name")
    parser.add_argument("--data_dir", default=None, help="TFDS data directory")
    parser.add_argument("--pair_side", choices=("left", "right", "none"), default="left",
                        help="side-by-side pairs: use this half (facades photos: left); "
                             "'none' for whole images")
    parser.add_argument("--scale", type=int, default=4)
    parser.add_argument("--hr_size", type=int, default=96)
    parser.add_argument("--batch_size", type=int, default=16)
    parser.add_argument("--num_blocks", type=int, default=16)
    parser.add_argument("--filters", type=int, default=64)
    parser.add_argument("--d_filters", type=int, default=64)
    parser.add_argument("--normalization", choices=("batch", "none"), default="batch",
                        help="the generator's: batch norm (the paper's) or none (EDSR)")
    parser.add_argument("--learning_rate", type=float, default=1e-4,
                        help="Adam's learning rate in the SRResNet stage")
    parser.add_argument("--gan_learning_rate", type=float, default=1e-4,
                        help="Adam's learning rate in the SRGAN stage (G and D)")
    parser.add_argument("--adversarial_weight", type=float, default=1e-3)
    parser.add_argument("--vgg_weights", default=None,
                        help="'imagenet' or a local VGG19 notop .h5: add the VGG54 loss")
    parser.add_argument("--pretrain_steps", type=int, default=1000,
                        help="SRResNet steps (at most; see --pretrain_seconds)")
    parser.add_argument("--gan_steps", type=int, default=1000,
                        help="SRGAN steps (at most; see --gan_seconds)")
    parser.add_argument("--pretrain_seconds", type=float, default=None,
                        help="wall-clock budget of the SRResNet stage")
    parser.add_argument("--gan_seconds", type=float, default=None,
                        help="wall-clock budget of the SRGAN stage")
    parser.add_argument("--test_hr_size", type=int, default=None,
                        help="side of the centre crops of the test split (the generator "
                             "takes any size; default: --hr_size)")
    parser.add_argument("--test_limit", type=int, default=None,
                        help="evaluate on the first N test images")
    parser.add_argument("--extractor", default=None,
                        help="also FID/KID of every method's outputs in this feature space "
                             "(a tfgan.metrics extractor name, e.g. cifar10)")
    parser.add_argument("--seed", type=int, default=0)
    parser.add_argument("--out", default="runs/srgan")
    parser.add_argument("--smoke", action="store_true",
                        help="Tiny run: 1 block, 4 filters, 32x32 crops, 2 steps per stage.")
    args = parser.parse_args(argv)
    args.pair_side = None if args.pair_side == "none" else args.pair_side
    if args.smoke:
        args.num_blocks, args.filters, args.d_filters, args.hr_size = 1, 4, 4, 32
        args.batch_size, args.pretrain_steps, args.gan_steps, args.test_limit = 2, 2, 2, 4
    return args


# ## Data
# Random HR crops of the training images (mirrored at random) and their antialiased
# bicubic downscaling; the test split is the centre crop of every test image, in order.

def split(args, training):
    source = pathlib.Path(args.data)
    if source.is_dir():
        name = "train" if training else "test"
        source = source / name if (source / name).is_dir() else source
    else:
        source = args.data  # a TFDS name
    hr_size = args.hr_size if training or not args.test_hr_size else args.test_hr_size
    return tfgan.datasets.super_resolution_pairs(
        source, scale=args.scale, hr_size=hr_size, split="train" if training else "test",
        batch_size=args.batch_size, training=training, data_dir=args.data_dir,
        pair_side=args.pair_side, repeat=training, seed=args.seed,
        limit=None if training else args.test_limit)


# ## The networks
# SRResNet upscales inputs of any size (the export takes any height and width); the
# discriminator judges HR crops of `hr_size`.

def build_model(args):
    generator = tfgan.architectures.srresnet_generator(
        scale=args.scale, num_blocks=args.num_blocks, filters=args.filters,
        normalization=args.normalization)
    discriminator = tfgan.architectures.srgan_discriminator(
        (args.hr_size, args.hr_size, 3), base_filters=args.d_filters)
    extractor = (tfgan.architectures.vgg_feature_extractor(args.vgg_weights)
                 if args.vgg_weights else None)
    return tfgan.SRGAN(generator, discriminator, feature_extractor=extractor, seed=args.seed)


def train_stage(model, args, steps, seconds, learning_rate, **compile_args):
    def optimizer():
        return keras.optimizers.Adam(learning_rate, beta_1=0.9)

    model.compile(optimizer(), optimizer(), adversarial_weight=args.adversarial_weight,
                  pixel_weight=0.0 if args.vgg_weights else 1.0, **compile_args)
    budget = tfgan.callbacks.TimeBudget(seconds)
    start = time.time()
    history = model.fit(split(args, training=True), epochs=1, steps_per_epoch=steps,
                        callbacks=[budget], verbose=2).history
    return {"steps": budget.steps, "seconds": round(time.time() - start, 1),
            "last": {k: round(float(v[-1]), 5) for k, v in history.items()}}


def main(argv=None):
    args = parse_args(argv)
    out = pathlib.Path(args.out)
    out.mkdir(parents=True, exist_ok=True)
    keras.utils.set_random_seed(args.seed)
    model = build_model(args)

    # ## Stage 1: SRResNet, the generator alone on the content loss
    pretrain = train_stage(model, args, args.pretrain_steps, args.pretrain_seconds,
                           args.learning_rate, pretrain=True)
    srresnet = keras.models.clone_model(model.generator)
    srresnet.set_weights(model.generator.get_weights())

    # ## Stage 2: SRGAN, the same generator against the discriminator
    # Fresh optimizers: Adam's first steps move every weight by about the learning rate,
    # so this stage keeps the paper's 1e-4 even when the first one ran faster.
    gan = train_stage(model, args, args.gan_steps, args.gan_seconds,
                      args.gan_learning_rate, pretrain=False)
    tfgan.utils.save_model(model, out / "srgan.keras")

    # ## PSNR / SSIM on the test split, beside bicubic upsampling
    low, high = tfgan.metrics.pairs_as_arrays(split(args, training=False))
    report = tfgan.metrics.evaluate_super_resolution(
        low, high, {"srresnet": srresnet, "srgan": model.generator}, extractor=args.extractor)
    outputs = {"bicubic": tfgan.metrics.bicubic_upscale(low, args.scale),
               "srresnet": srresnet.predict(low, verbose=0),
               "srgan": model.generator.predict(low, verbose=0)}
    n = min(6, len(low))
    enlarged = low.repeat(args.scale, axis=1).repeat(args.scale, axis=2)
    rows = np.stack([enlarged[:n], outputs["bicubic"][:n], outputs["srresnet"][:n],
                     outputs["srgan"][:n], high[:n]], axis=1).reshape((-1,) + high.shape[1:])
    save_image(make_grid(rows, rows=n), out / "test_rows.png")
    results = {"data": args.data, "pair_side": args.pair_side, "scale": args.scale,
               "hr_size": args.hr_size, "test_hr_size": args.test_hr_size or args.hr_size,
               "batch_size": args.batch_size,
               "num_blocks": args.num_blocks, "filters": args.filters,
               "d_filters": args.d_filters, "normalization": args.normalization,
               "learning_rate": args.learning_rate,
               "gan_learning_rate": args.gan_learning_rate, "vgg_weights": args.vgg_weights,
               "generator_parameters": model.generator.count_params(),
               "srresnet_stage": pretrain, "srgan_stage": gan,
               "picture_columns": ["input", "bicubic", "srresnet", "srgan", "ground truth"],
               **report}
    atomic_write_bytes(out / "results.json", json.dumps(results, indent=2).encode())
    print(json.dumps(results, indent=2))
    return results


if __name__ == "__main__":
    main()
