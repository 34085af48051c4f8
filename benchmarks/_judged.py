"""Shared plumbing of the benchmarks where a network trained on real images judges
generated ones (`pix2pix_label_score.py`, `cyclegan_domain_score.py`, `same_budget.py`,
`time_to_quality.py`)."""

import argparse
import json
import pathlib
import time

import keras
import numpy as np


def parser(doc, data, models_help, epochs, epochs_help):
    """The common command line: `--data --image_size --models --epochs --seed --save`."""
    parser = argparse.ArgumentParser(description=doc.split("\n")[0])
    parser.add_argument("--data", default=data)
    parser.add_argument("--image_size", type=int, default=64)
    parser.add_argument("--models", nargs="+", required=True, help=models_help)
    parser.add_argument("--epochs", type=int, default=epochs, help=epochs_help)
    parser.add_argument("--seed", type=int, default=0)
    parser.add_argument("--save", default=None, help="Write the results as JSON here.")
    return parser


def check_models(paths, kind):
    """Raises `FileNotFoundError` naming every path that is not a saved model file."""
    missing = [path for path in paths if not pathlib.Path(path).is_file()]
    if missing:
        raise FileNotFoundError(f"Expected saved {kind} models (.keras files). "
                                f"Not found: {missing}")


def report(results, save):
    """Prints the results as JSON and writes them to `save` when given."""
    text = json.dumps(results, indent=2, ensure_ascii=False)
    print(text)
    if save:
        pathlib.Path(save).write_text(text + "\n")


# ------------------------------------------- training budgets and the classifier judges

TFDS_DIR = pathlib.Path(__file__).resolve().parents[2] / "shared" / "data" / "tensorflow_datasets"
JUDGES = ("mnist", "cifar10")


class BatchTimer(keras.callbacks.Callback):
    """Times each train batch (wall-clock or this process's CPU seconds) and passes the
    seconds to `tick(seconds)`; training stops when `tick` returns False."""

    def __init__(self, tick, clock="wall"):
        super().__init__()
        if clock not in ("wall", "cpu"):
            raise ValueError(f"`clock` must be 'wall' or 'cpu'. Received: clock={clock!r}")
        self.tick, self.now = tick, time.perf_counter if clock == "wall" else time.process_time
        self.steps = 0

    def on_train_batch_begin(self, batch, logs=None):
        self._start = self.now()

    def on_train_batch_end(self, batch, logs=None):
        self.steps += 1
        if not self.tick(self.now() - self._start):
            self.model.stop_training = True


def step_seconds(model, data, steps=100, warmup=20):
    """Seconds per training step of a compiled `model` on repeated `data`: the mean over
    `steps` batches after `warmup` (graph tracing, the shuffle buffer filling), timed per
    batch as `BudgetTimer` counts a budget."""
    seconds = []
    model.fit(data, epochs=1, steps_per_epoch=steps + warmup, verbose=0,
              callbacks=[BatchTimer(lambda s: seconds.append(s) or True)])
    return sum(seconds[warmup:]) / steps


class BudgetTimer(BatchTimer):
    """Stops training once `budget` seconds were spent in train batches after the first
    (whose graph tracing is kept apart, in `first_step`)."""

    def __init__(self, budget, clock="wall"):
        super().__init__(self._add, clock)
        self.budget, self.spent, self.first_step = float(budget), 0.0, None

    def _add(self, seconds):
        if self.first_step is None:
            self.first_step = seconds
        else:
            self.spent += seconds
        return self.spent < self.budget


def _center_crop(images, size):
    top, left = (images.shape[1] - size[0]) // 2, (images.shape[2] - size[1]) // 2
    return images[:, top:top + size[0], left:left + size[1]]


class ClassifierJudge:
    """Score, FID and KID of a sampler `(n, seed) -> images` in the feature space of a
    shipped classifier (`tfgan.metrics.load_classifier`), against the classifier's training
    images or a `reference` folder (resized to the classifier's size, not cached: a folder
    may change), and the share of each predicted class. Larger samples are centre-cropped to
    the classifier's size (StyleGAN's 32x32 MNIST is padded, not scaled)."""

    def __init__(self, name, data_dir=TFDS_DIR, reference=None):
        import tfgan

        self.name = f"{name}_classifier"
        self.features = tfgan.metrics.classifier_features(name)
        self.probabilities = tfgan.metrics.classifier_probabilities(name)
        self.size = tfgan.metrics.extractors.CLASSIFIERS[name][1][:2]
        self.reference, self.reference_features = tfgan.metrics.reference_statistics(
            reference or _training_set(name), extractor=self.features, image_size=self.size,
            channels=tfgan.metrics.extractors.CLASSIFIERS[name][1][2], data_dir=data_dir,
            **({"cache_dir": False} if reference else {}))

    def __call__(self, sample, n, seed=0):
        import tfgan

        images = _center_crop(np.asarray(sample(n, seed), "float32"), self.size)
        probabilities = self.probabilities(images)
        score, _ = tfgan.metrics.inception_score(probabilities, splits=10)
        classes = np.bincount(np.argmax(probabilities, axis=1), minlength=10) / len(images)
        return {"score": round(float(score), 3),
                **_distances(self.features(images), self.reference, self.reference_features,
                             seed),
                "class_shares": [round(float(c), 4) for c in classes], "samples": int(n)}


def _training_set(judge):
    """The `tfgan.datasets.load` name of a judge's training images."""
    return "embedded-mnist" if judge == "mnist" else judge


def _distances(features, reference, reference_features, seed, prefix=""):
    """FID and KID (subsets of at most 1,000 rows, and of half the rows of smaller sets)
    of feature rows against a reference."""
    import tfgan

    stats = tfgan.metrics.FeatureStatistics.from_features(features)
    kid, kid_std = tfgan.metrics.kernel_inception_distance(
        features, reference_features, seed=seed,
        subset_size=min(1000, len(features) // 2, len(reference_features) // 2))
    fid = tfgan.metrics.fid_from_statistics(stats, reference)
    # Four significant digits: random-weight Inception distances are of order 1e-5.
    return {f"{prefix}{key}": float(f"{float(value):.4g}")
            for key, value in (("fid", fid), ("kid", kid), ("kid_std", kid_std))}


class RandomInceptionJudge:
    """FID and KID of a sampler `(n, seed) -> images` in the 2048-d pool features of Keras'
    InceptionV3 with seeded random weights (no ImageNet weights can be downloaded here),
    against the first `n` training images of judge `name`'s set, each resized to 299x299.

    Random embeddings rank image sets only coarsely (Naeem et al. 2020) and the network is
    not the one of published FIDs: compare these numbers within one invocation only (the
    same weights judge every run of it).
    """

    def __init__(self, name, n, seed=0, data_dir=TFDS_DIR):
        import tfgan

        keras.utils.set_random_seed(seed)
        self.extractor = tfgan.metrics.InceptionV3Extractor(weights=None)
        self.extractor.get_model()  # the weights are drawn now, from `seed`
        self.n = n
        self.reference, self.reference_features = tfgan.metrics.reference_statistics(
            _training_set(name), extractor=self.extractor, num_samples=n, data_dir=data_dir,
            cache_dir=False, keep_features=n)

    def __call__(self, sample, seed=0):
        features = self.extractor(np.asarray(sample(self.n, seed), "float32"))
        return {**_distances(features, self.reference, self.reference_features, seed,
                             prefix="random_inception_"),
                "random_inception_samples": self.n}
