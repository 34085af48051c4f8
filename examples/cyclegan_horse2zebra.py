"""CycleGAN on horse2zebra: unpaired horse ↔ zebra translation (Zhu et al. 2017).

The paper's recipe: ResNet generators (9 residual blocks at 256x256, 6 at 128x128),
70x70 PatchGAN discriminators with instance normalization, least-squares adversarial
loss, cycle consistency λ = 10, identity loss 0.5·λ, a 50-image history pool per
discriminator, Adam(2e-4, β1 = 0.5), batch size 1, 100 epochs at a constant learning
rate then 100 epochs of linear decay to zero.

`--image_size` scales the recipe down for a CPU (the jitter resize stays at 286/256 of
it). The learning-rate schedule keeps the paper's shape over whatever `--epochs` you give:
constant for the first half, linear decay to zero over the second
(`tfgan.utils.LinearDecay`). After training it translates the test splits in both
directions and saves (input, translation) pairs.

Run (horse2zebra holds trainA/ horses, trainB/ zebras, testA/, testB/):

    python examples/cyclegan_horse2zebra.py --data ../shared/data/horse2zebra \
        --image_size 64 --num_blocks 6 --epochs 4 --out runs/cyclegan_horse2zebra
    python examples/cyclegan_horse2zebra.py --data ../shared/data/horse2zebra --smoke
"""

import argparse
import json
import pathlib
import time

import keras
import numpy as np

import tfgan
from tfgan.datasets.unpaired import image_folder_dataset
from tfgan.utils.images import make_grid
from tfgan.utils.images import save_image


def parse_args(argv=None):
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--data", default=str(
        pathlib.Path(__file__).resolve().parents[2] / "shared" / "data" / "horse2zebra"))
    parser.add_argument("--image_size", type=int, default=256)
    parser.add_argument("--num_blocks", type=int, default=9)
    parser.add_argument("--base_filters", type=int, default=64)
    parser.add_argument("--upsampling", choices=("transposed", "upsample"), default="transposed",
                        help="Generator upsampling: the paper's transposed convolutions, or "
                             "nearest-neighbour upsampling + convolution (no checkerboard on "
                             "flat regions, ~20%% more generator work; benchmarks/RESULTS.md).")
    parser.add_argument("--epochs", type=int, default=200)
    parser.add_argument("--batch_size", type=int, default=1)
    parser.add_argument("--pool_size", type=int, default=50)
    parser.add_argument("--learning_rate", type=float, default=2e-4)
    parser.add_argument("--limit", type=int, default=None, help="Use the first N files per folder.")
    parser.add_argument("--test_samples", type=int, default=8)
    parser.add_argument("--seed", type=int, default=0)
    parser.add_argument("--out", default="runs/cyclegan_horse2zebra")
    parser.add_argument("--smoke", action="store_true",
                        help="Tiny run: 32x32 images, 4 files per folder, 2 steps.")
    args = parser.parse_args(argv)
    if args.smoke:
        args.image_size, args.limit, args.epochs = 32, 4, 1
        args.base_filters, args.num_blocks, args.test_samples = 8, 1, 2
    return args


# ## The networks and the schedule

def build_model(args, steps_per_epoch):
    shape = (args.image_size, args.image_size, 3)

    def generator(name):
        return tfgan.architectures.resnet_generator(
            shape, base_filters=args.base_filters, num_blocks=args.num_blocks,
            upsampling=args.upsampling, name=name)

    def discriminator(name):
        return tfgan.architectures.patchgan_discriminator(
            shape, base_filters=args.base_filters, normalization="instance", name=name)

    model = tfgan.models.CycleGAN(generator("g_horse_to_zebra"), generator("f_zebra_to_horse"),
                                  discriminator("d_horse"), discriminator("d_zebra"),
                                  pool_size=args.pool_size, seed=args.seed)
    total = max(2, args.epochs * steps_per_epoch)

    def optimizer():
        schedule = tfgan.utils.LinearDecay(args.learning_rate, total // 2, total - total // 2)
        return keras.optimizers.Adam(schedule, beta_1=0.5)

    model.compile(optimizer(), optimizer(), loss="least_squares", cycle_weight=10.0,
                  identity_weight=0.5)
    return model


def test_images(directory, args):
    dataset = image_folder_dataset(directory, image_size=args.image_size, jitter=False,
                                   shuffle=False, limit=args.test_samples).batch(16)
    return np.concatenate([x.numpy() for x in dataset])


def main(argv=None):
    args = parse_args(argv)
    out = pathlib.Path(args.out)
    out.mkdir(parents=True, exist_ok=True)
    keras.utils.set_random_seed(args.seed)
    data = pathlib.Path(args.data)

    # ## Train on unpaired, jittered batches
    n_a = len(tfgan.datasets.paired.list_images(data / "trainA", args.limit))
    n_b = len(tfgan.datasets.paired.list_images(data / "trainB", args.limit))
    steps_per_epoch = 2 if args.smoke else max(n_a, n_b) // args.batch_size
    train = tfgan.datasets.unpaired_dataset(
        data / "trainA", data / "trainB", batch_size=args.batch_size,
        image_size=args.image_size, repeat=True, seed=args.seed, limit=args.limit)
    model = build_model(args, steps_per_epoch)
    # A checkpoint every epoch; rerunning the same command resumes after the last one
    # (history.csv keeps every epoch's metrics across resumptions).
    initial_epoch, callbacks = tfgan.callbacks.resume(model, out)
    start = time.time()
    history = model.fit(train, epochs=args.epochs, steps_per_epoch=steps_per_epoch, verbose=2,
                        initial_epoch=initial_epoch, callbacks=callbacks)
    train_seconds = time.time() - start
    tfgan.utils.save_model(model, out / "cyclegan.keras")

    # ## Translate the test splits both ways
    results = {"image_size": args.image_size, "num_blocks": args.num_blocks,
               "upsampling": args.upsampling,
               "epochs": args.epochs, "steps_per_epoch": steps_per_epoch,
               "train_seconds": round(train_seconds, 1)}
    for split, direction, back in (("testA", "a_to_b", "b_to_a"), ("testB", "b_to_a", "a_to_b")):
        images = test_images(data / split, args)
        translated = model.translate(images, direction)
        cycled = model.translate(translated, back)
        pairs = np.stack([images, translated, cycled], axis=1).reshape(
            (-1,) + images.shape[1:])
        save_image(make_grid(pairs, rows=len(images)), out / f"{split}_{direction}.png")
        results[f"{split}_cycle_l1"] = round(float(np.mean(np.abs(cycled - images))), 4)
    results["history"] = {k: [round(float(v), 4) for v in vs]
                          for k, vs in history.history.items()}
    (out / "results.json").write_text(json.dumps(results, indent=2))
    print(json.dumps({k: v for k, v in results.items() if k != "history"}, indent=2))
    return results


if __name__ == "__main__":
    main()
