"""Trains the small MNIST classifier that `tfgan.metrics` ships for MNIST scores and FIDs.

The network maps 28x28x1 images in [-1, 1] (the range of tfgan generators) to 10 logits.
Its 128-unit `features` layer (the penultimate one) is the feature space of the MNIST FID;
its softmax gives the MNIST score (the Inception Score with this classifier).

Data: the embedded training subset `tfgan/data/mnist_train_subset.npz` (19,690 images) for
training, and the full official test split (10,000 images) read offline through TFDS from
`--data-dir` for the reported accuracy.

Run from the repository root:

    python scripts/train_mnist_classifier.py \
        --data-dir ../shared/data/tensorflow_datasets --output tfgan/data/mnist_classifier.keras
"""

import argparse
import pathlib

import keras
import numpy as np
from keras import layers

ROOT = pathlib.Path(__file__).resolve().parents[1]


def build_classifier():
    """Three blocks of two 3x3 convolutions (the second strided), global average pooling, a 128-unit features layer."""
    inputs = keras.Input((28, 28, 1), name="images")
    x = inputs
    for filters in (16, 32, 64):
        x = layers.Conv2D(filters, 3, strides=1, padding="same", activation="relu")(x)
        x = layers.Conv2D(filters, 3, strides=2, padding="same", activation="relu")(x)
    x = layers.GlobalAveragePooling2D()(x)
    x = layers.Dropout(0.1)(x)
    features = layers.Dense(128, activation="relu", name="features")(x)
    logits = layers.Dense(10, name="logits")(layers.Dropout(0.1)(features))
    return keras.Model(inputs, logits, name="mnist_classifier")


def load_test_split(data_dir):
    import tensorflow_datasets as tfds

    images, labels = tfds.as_numpy(
        tfds.load("mnist", split="test", data_dir=str(data_dir), download=False,
                  batch_size=-1, as_supervised=True))
    return images, labels


def to_unit_range(images):
    """uint8 [0, 255] → float32 [-1, 1] with a channel axis."""
    images = np.asarray(images, dtype="float32")
    if images.ndim == 3:
        images = images[..., None]
    return images / 127.5 - 1.0


def main(argv=None):
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--data-dir", default=str(ROOT.parent / "shared" / "data" /
                                                  "tensorflow_datasets"))
    parser.add_argument("--output", default=str(ROOT / "tfgan" / "data" /
                                                "mnist_classifier.keras"))
    parser.add_argument("--epochs", type=int, default=10)
    parser.add_argument("--batch-size", type=int, default=128)
    parser.add_argument("--seed", type=int, default=0)
    args = parser.parse_args(argv)

    keras.utils.set_random_seed(args.seed)
    with np.load(ROOT / "tfgan" / "data" / "mnist_train_subset.npz") as data:
        x_train, y_train = to_unit_range(data["x_train"]), data["y_train"].astype("int64")
    x_test, y_test = load_test_split(args.data_dir)
    x_test, y_test = to_unit_range(x_test), y_test.astype("int64")

    model = build_classifier()
    schedule = keras.optimizers.schedules.CosineDecay(
        3e-3, decay_steps=args.epochs * int(np.ceil(len(x_train) / args.batch_size)))
    model.compile(optimizer=keras.optimizers.Adam(schedule),
                  loss=keras.losses.SparseCategoricalCrossentropy(from_logits=True),
                  metrics=["accuracy"])
    model.fit(x_train, y_train, batch_size=args.batch_size, epochs=args.epochs, verbose=2)
    _, accuracy = model.evaluate(x_test, y_test, batch_size=500, verbose=0)
    # Save without the optimizer: the shipped file only serves inference.
    model.compile(loss=keras.losses.SparseCategoricalCrossentropy(from_logits=True))
    model.save(args.output, include_optimizer=False)
    size_kb = pathlib.Path(args.output).stat().st_size / 1024
    print(f"params={model.count_params()} test_accuracy={accuracy:.4f} "
          f"(10,000 official test images) saved={args.output} ({size_kb:.0f} KiB)")


if __name__ == "__main__":
    main()
