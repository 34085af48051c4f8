"""Carry-over: `dcgan-mnist`'s samples on a labelled 28x28 grayscale set it was not tuned on.

The shipped MNIST classifier is a poor judge of letters or grayscale photos, so this script
trains a judge on the set itself: the MNIST judge's network
(`scripts/train_classifier.py`'s `build_classifier("mnist")`, trained the same way) on
the set's own labels, converted as `tfgan train --preset dcgan-mnist --dataset DATA`
converts them (28x28, one channel, [-1, 1]); every fifth image is held out and the judge's
accuracy on those is reported. The labels only train the judge: the GANs judged here never
see them.

Then each `--models` GAN (a `gan.keras` from `tfgan train`) makes `--samples` images
(`model.generate`, latent seed 0), judged in the judge's 128-d features against the four
fifths the judge trained on: the score (the Inception Score with this classifier, 10
splits), FID, KID and the share of each predicted class. The real held-out fifth, judged
the same way against the same reference, gives the floor. These feature spaces are this
script's own (retrained per invocation, seed `--seed`): compare numbers within one
invocation only.

    PYTHONPATH=. python benchmarks/carry_over.py --data runs/font_letters \\
        --models runs/carry/letters_default/gan.keras --save benchmarks/carry_over.jsonl
    PYTHONPATH=. python benchmarks/carry_over.py --data cifar10 \\
        --data-dir ../shared/data/tensorflow_datasets \\
        --models runs/carry/gray_default/gan.keras runs/carry/gray_prev_clusters/gan.keras

`--data` is a folder with one sub-folder per class (`scripts/make_font_letters.py` writes
one) or a TFDS name with labels.
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
sys.path.insert(0, str(ROOT / "scripts"))
import _judged  # noqa: E402
from train_classifier import build_classifier  # noqa: E402
from train_classifier import fit_classifier  # noqa: E402

IMAGE_SHAPE = (28, 28, 1)  # `dcgan-mnist`'s


def labelled_images(name, data_dir=None):
    """All of a labelled set's images as `dcgan-mnist` trains on them, and their labels."""
    tfds_only = {} if pathlib.Path(name).is_dir() else {"data_dir": data_dir}
    data = tfgan.datasets.load(name, image_size=IMAGE_SHAPE[:2], channels=IMAGE_SHAPE[2],
                               labels=True, shuffle=False, batch_size=500,
                               drop_remainder=False, **tfds_only)
    images, labels = zip(*((np.asarray(x), np.asarray(y)) for x, y in data))
    return np.concatenate(images), np.concatenate(labels).astype("int64")


class SetJudge:
    """A classifier trained on a labelled set: held-out accuracy, and score / FID / KID /
    class shares of images against the images it trained on."""

    def __init__(self, images, labels, epochs, seed):
        classes = int(labels.max()) + 1
        if classes != 10:
            raise ValueError(f"The judge's network has 10 outputs: the set needs 10 classes. "
                             f"Received: {classes} classes")
        held_out = np.arange(len(images)) % 5 == 0
        keras.utils.set_random_seed(seed)
        self.model = build_classifier("mnist")
        self.accuracy = fit_classifier(self.model, (images[~held_out], labels[~held_out]),
                                       (images[held_out], labels[held_out]), epochs,
                                       verbose=0)
        self.features = keras.Model(self.model.input, self.model.get_layer("features").output)
        # Shuffled: the inception score's splits are consecutive rows, and the set's
        # images come sorted by class.
        self.held_out = images[held_out][np.random.default_rng(seed).permutation(
            int(held_out.sum()))]
        self.reference_features = self._features(images[~held_out])
        self.reference = tfgan.metrics.FeatureStatistics.from_features(
            self.reference_features)

    def _features(self, images):
        return self.features.predict(images, batch_size=500, verbose=0).astype("float64")

    def __call__(self, images, seed=0):
        probabilities = keras.ops.convert_to_numpy(keras.ops.softmax(
            self.model.predict(images, batch_size=500, verbose=0)))
        score, _ = tfgan.metrics.inception_score(probabilities, splits=10)
        classes = np.bincount(np.argmax(probabilities, axis=1), minlength=10) / len(images)
        return {"score": round(float(score), 3),
                **_judged._distances(self._features(images), self.reference,
                                     self.reference_features, seed),
                "class_shares": [round(float(c), 4) for c in classes],
                "samples": len(images)}


def main(argv=None):
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--data", required=True,
                        help="a folder with one sub-folder per class, or a TFDS name")
    parser.add_argument("--data-dir", default=str(_judged.TFDS_DIR), help="TFDS data directory")
    parser.add_argument("--models", nargs="+", required=True, type=pathlib.Path,
                        help="gan.keras files of `tfgan train` runs on --data")
    parser.add_argument("--samples", type=int, default=10_000)
    parser.add_argument("--judge-epochs", type=int, default=10)
    parser.add_argument("--seed", type=int, default=0)
    parser.add_argument("--save", type=pathlib.Path, help="append one JSON line per model")
    args = parser.parse_args(argv)
    _judged.check_models(args.models, "GAN")
    if args.samples < 2:
        raise SystemExit(f"--samples must be >= 2. Received: {args.samples}")

    images, labels = labelled_images(args.data, args.data_dir)
    judge = SetJudge(images, labels, args.judge_epochs, args.seed)
    print(f"{args.data}: {len(images):,} images; judge accuracy {judge.accuracy:.4f} on the "
          f"held-out fifth ({len(judge.held_out):,})")
    results = [{"model": "real held-out fifth", **judge(judge.held_out, args.seed)}]
    for path in args.models:
        model = keras.saving.load_model(path)
        results.append({"model": str(path),
                        **judge(np.asarray(model.generate(args.samples, seed=0)), args.seed)})
    for result in results:
        result.update({"data": args.data, "judge_accuracy": round(float(judge.accuracy), 4),
                       "judge_seed": args.seed})
        shares = result["class_shares"]
        print(f"{result['model']}: score {result['score']}, FID {result['fid']}, "
              f"KID {result['kid']} ± {result['kid_std']}, classes "
              f"{100 * min(shares):.1f}-{100 * max(shares):.1f}%")
        if args.save:
            append_json_line(args.save, result)


if __name__ == "__main__":
    main()
