"""Pix2Pix on CMP Facades: label maps → building photos (Isola et al. 2017).

The paper's recipe: a U-Net generator with skip connections and dropout, a 70x70
PatchGAN discriminator on (input, output) pairs, GAN loss + λ·L1 with λ = 100,
Adam(2e-4, β1 = 0.5), batch size 1, random jitter (resize to 286, random 256 crop) and
mirroring, 200 epochs at 256x256.

`--image_size` scales the whole recipe down (the jitter resize stays at 286/256 of it and
the U-Net keeps its 1x1 bottleneck), which is how this example runs on a CPU in minutes.
After training it translates the test split, writes input / target / output triplets and
reports the test-set L1 (mean absolute error in [-1, 1] units).

Run (the facades folder holds train/, val/, test/ of 256x512 side-by-side JPEGs, photo
left, labels right):

    python examples/pix2pix_facades.py --data ../shared/data/facades --image_size 64 \
        --epochs 10 --out runs/pix2pix_facades
    python examples/pix2pix_facades.py --data ../shared/data/facades --smoke
"""

import argparse
import json
import pathlib
import time

import keras
import numpy as np

import tfgan
from tfgan.utils.images import make_grid
from tfgan.utils.images import save_image


def parse_args(argv=None):
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--data", default=str(
        pathlib.Path(__file__).resolve().parents[2] / "shared" / "data" / "facades"))
    parser.add_argument("--image_size", type=int, default=256)
    parser.add_argument("--epochs", type=int, default=200)
    parser.add_argument("--batch_size", type=int, default=1)
    parser.add_argument("--base_filters", type=int, default=64)
    parser.add_argument("--max_filters", type=int, default=512,
                        help="U-Net filter cap (the paper's 512; 256 halves a 64x64 step).")
    parser.add_argument("--l1_weight", type=float, default=100.0)
    parser.add_argument("--direction", choices=("right", "left"), default="right",
                        help="Which half of each image is the input (facades: right = labels).")
    parser.add_argument("--limit", type=int, default=None, help="Use the first N files per split.")
    parser.add_argument("--inception_weights", default=None,
                        help="Local inception_v3_weights_tf_dim_ordering_tf_kernels_notop.h5 "
                             "for FID/KID; without it a seeded random-weight InceptionV3.")
    parser.add_argument("--model", default=None,
                        help="Evaluate this saved Pix2Pix (.keras) instead of training one.")
    parser.add_argument("--seed", type=int, default=0)
    parser.add_argument("--out", default="runs/pix2pix_facades")
    parser.add_argument("--smoke", action="store_true",
                        help="Tiny run: 32x32 images, 4 files, 2 steps.")
    args = parser.parse_args(argv)
    if args.smoke:
        args.image_size, args.limit, args.epochs, args.base_filters = 32, 4, 1, 8
    return args


# ## The networks
# The U-Net goes down to a 1x1 bottleneck (8 downsamplings at 256, 6 at 64); the PatchGAN
# keeps 3 downsamplings, so each logit sees a 70x70 patch (at 256x256).

def build_model(args):
    shape = (args.image_size, args.image_size, 3)
    generator = tfgan.architectures.unet_generator(shape, base_filters=args.base_filters,
                                                   max_filters=args.max_filters)
    discriminator = tfgan.architectures.patchgan_discriminator(
        shape, conditional_channels=3, base_filters=args.base_filters)
    model = tfgan.models.Pix2Pix(generator, discriminator)
    model.compile(loss="non_saturating", l1_weight=args.l1_weight)
    return model


def test_arrays(args):
    dataset = tfgan.datasets.paired_dataset(
        pathlib.Path(args.data) / "test", batch_size=16, image_size=args.image_size,
        input_side=args.direction, jitter=False, shuffle=False, limit=args.limit)
    inputs, targets = zip(*[(x.numpy(), y.numpy()) for x, y in dataset])
    return np.concatenate(inputs), np.concatenate(targets)


# ## FID and KID of the translations
# Against the test targets, next to two references computed the same way on as many
# images: the training photos (the floor a perfect translator would reach) and the label
# maps themselves (what no translation at all scores). Without the ImageNet weights (none
# can be downloaded here) the features are those of a seeded random-weight InceptionV3:
# random embeddings still rank image sets sensibly (Naeem et al. 2020), but the numbers
# are comparable only with each other, never with published FIDs.

def distances(args, inputs, targets, outputs):
    if args.inception_weights:
        extractor = tfgan.metrics.InceptionV3Extractor(weights_path=args.inception_weights)
    else:
        keras.utils.set_random_seed(args.seed)
        extractor = tfgan.metrics.InceptionV3Extractor(weights=None)
    train = tfgan.datasets.paired_dataset(
        pathlib.Path(args.data) / "train", batch_size=16, image_size=args.image_size,
        input_side=args.direction, jitter=False, shuffle=False, limit=len(targets))
    train_targets = np.concatenate([y.numpy() for _, y in train])[:len(targets)]
    features = {name: extractor(images) for name, images in (
        ("targets", targets), ("outputs", outputs), ("train_photos", train_targets),
        ("inputs", inputs))}
    results = {"features": extractor.name, "images": len(targets)}
    # 4 significant digits: random-weight features are tiny (no trained batch-norm scales),
    # so the distances are small numbers whose ratios carry the information.
    for name in ("outputs", "train_photos", "inputs"):
        fid = tfgan.metrics.fid_from_features(features[name], features["targets"])
        kid = tfgan.metrics.kernel_inception_distance(
            features[name], features["targets"], subset_size=len(targets), seed=args.seed)[0]
        results[f"fid_{name}"] = float(f"{fid:.4g}")
        results[f"kid_{name}"] = float(f"{kid:.4g}")
    return results


def main(argv=None):
    args = parse_args(argv)
    out = pathlib.Path(args.out)
    out.mkdir(parents=True, exist_ok=True)
    keras.utils.set_random_seed(args.seed)

    # ## Train on the jittered training split
    train = tfgan.datasets.paired_dataset(
        pathlib.Path(args.data) / "train", batch_size=args.batch_size,
        image_size=args.image_size, input_side=args.direction, seed=args.seed,
        limit=args.limit)
    start = time.time()
    if args.model:
        model, history = keras.saving.load_model(args.model), None
    else:
        # A checkpoint every epoch; rerunning the same command resumes after the last one
        # (history.csv keeps every epoch's metrics across resumptions).
        model = build_model(args)
        initial_epoch, callbacks = tfgan.callbacks.resume(model, out)
        history = model.fit(train, epochs=args.epochs, initial_epoch=initial_epoch,
                            steps_per_epoch=2 if args.smoke else None, verbose=2,
                            callbacks=callbacks).history
        tfgan.utils.save_model(model, out / "pix2pix.keras")
    train_seconds = time.time() - start

    # ## Translate the test split
    inputs, targets = test_arrays(args)
    outputs = model.translate(inputs)
    l1 = float(np.mean(np.abs(outputs - targets)))
    baseline = float(np.mean(np.abs(np.mean(targets, axis=0, keepdims=True) - targets)))
    n = min(8, len(inputs))
    triplets = np.stack([inputs[:n], targets[:n], outputs[:n]], axis=1).reshape(
        (-1,) + inputs.shape[1:])
    save_image(make_grid(triplets, rows=n), out / "test_triplets.png")
    results = {
        "image_size": args.image_size, "epochs": args.epochs, "train_images": len(
            tfgan.datasets.paired.list_images(pathlib.Path(args.data) / "train", args.limit)),
        "train_seconds": None if args.model else round(train_seconds, 1),
        "test_images": len(inputs),
        "test_l1": round(l1, 4), "test_l1_of_mean_target": round(baseline, 4),
        "test_distances": distances(args, inputs, targets, outputs),
    }
    if history is not None:
        results["history"] = {k: [round(float(v), 4) for v in vs] for k, vs in history.items()}
    (out / "results.json").write_text(json.dumps(results, indent=2))
    print(json.dumps({k: v for k, v in results.items() if k != "history"}, indent=2))
    return results


if __name__ == "__main__":
    main()
