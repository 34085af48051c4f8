"""MNIST score and MNIST FID of real data with the shipped classifier (reference numbers).

The MNIST score is the Inception Score computed with `tfgan/data/mnist_classifier.keras`
(10 splits); the MNIST FID is the Fréchet distance between its 128-d `features` of two
image sets. Real test images against the (embedded) training subset give the floor a
perfect generator could reach under this protocol.

    python benchmarks/mnist_reference_scores.py --data-dir ../shared/data/tensorflow_datasets
"""

import argparse
import json
import pathlib

import numpy as np

from tfgan import datasets
from tfgan import metrics

ROOT = pathlib.Path(__file__).resolve().parents[1]


def main():
    parser = argparse.ArgumentParser()
    parser.add_argument("--data-dir", default=str(ROOT.parent / "shared" / "data" /
                                                  "tensorflow_datasets"))
    args = parser.parse_args()
    import tensorflow_datasets as tfds

    x_test, _ = tfds.as_numpy(tfds.load("mnist", split="test", data_dir=args.data_dir,
                                        download=False, batch_size=-1, as_supervised=True))
    x_train, _ = datasets.load_embedded_mnist()
    x_train = x_train[..., None]
    features, probabilities = metrics.mnist_features(), metrics.mnist_probabilities()
    train_stats = metrics.FeatureStatistics.from_features(features(x_train))
    test_features = features(x_test)
    rows = {
        "mnist_score_test10k": metrics.inception_score(probabilities(x_test), splits=10),
        "mnist_score_train": metrics.inception_score(probabilities(x_train), splits=10),
        "mnist_fid_test10k_vs_train": metrics.fid_from_statistics(
            metrics.FeatureStatistics.from_features(test_features), train_stats),
        "mnist_fid_test5k_vs_test5k": metrics.fid_from_features(test_features[:5000],
                                                                test_features[5000:]),
    }
    noise = np.random.default_rng(0).uniform(-1, 1, (10000, 28, 28, 1)).astype("float32")
    rows["mnist_fid_uniform_noise10k_vs_train"] = metrics.fid_from_statistics(
        metrics.FeatureStatistics.from_features(features(noise)), train_stats)
    rows["mnist_score_uniform_noise10k"] = metrics.inception_score(probabilities(noise), 10)
    print(json.dumps({"train_images": len(x_train), "test_images": len(x_test),
                      "extractor": features.name, **rows}, indent=2))


if __name__ == "__main__":
    main()
