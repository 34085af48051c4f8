"""Trains the small classifiers that `tfgan.metrics` ships as judges of generated images.

`mnist`: 28x28x1 digits; `cifar10`: 32x32x3 photos. Each network maps images in [-1, 1] (the
range of tfgan generators) to 10 logits. Its 128-unit `features` layer (the penultimate
one) is the feature space of the dataset's FID and KID; its softmax gives the dataset's
score (the Inception Score with this classifier). These are feature spaces of this
library, not InceptionV3's: the numbers are not comparable with published FIDs.

Data, read offline:
- mnist: trained on the embedded subset `tfgan/data/mnist_train_subset.npz` (19,690
  images); accuracy on the full official test split (10,000) through TFDS `--data-dir`.
- cifar10: trained on the TFDS `cifar10` train split in `--data-dir` (the 10,000-image
  subset in ../shared/data: 1,000 per class), with random flips and 4-pixel translations;
  accuracy on the full test split (10,000).

Run from the repository root:

    python scripts/train_classifier.py mnist --output tfgan/data/mnist_classifier.keras
    python scripts/train_classifier.py cifar10 --epochs 40 --output tfgan/data/cifar10_classifier.keras
"""

import argparse
import pathlib

import keras
import numpy as np
from keras import layers

ROOT = pathlib.Path(__file__).resolve().parents[1]


def build_classifier(dataset):
    """Three blocks of two 3x3 convolutions (the second strided), global average pooling, a
    128-unit features layer. MNIST: 16-32-64 filters, ReLU (the shipped file's network).
    CIFAR-10: 32-64-128 filters with batch norm and flip/translate augmentation."""
    shape, widths = {"mnist": ((28, 28, 1), (16, 32, 64)),
                     "cifar10": ((32, 32, 3), (32, 64, 128))}[dataset]
    inputs = keras.Input(shape, name="images")
    x = inputs
    if dataset == "cifar10":
        x = layers.RandomFlip("horizontal")(x)
        x = layers.RandomTranslation(0.125, 0.125, fill_mode="reflect")(x)
    for filters in widths:
        for strides in (1, 2):
            if dataset == "cifar10":
                x = layers.Conv2D(filters, 3, strides=strides, padding="same",
                                  use_bias=False)(x)
                x = layers.Activation("relu")(layers.BatchNormalization()(x))
            else:
                x = layers.Conv2D(filters, 3, strides=strides, padding="same",
                                  activation="relu")(x)
    x = layers.GlobalAveragePooling2D()(x)
    x = layers.Dropout(0.1)(x)
    features = layers.Dense(128, activation="relu", name="features")(x)
    logits = layers.Dense(10, name="logits")(layers.Dropout(0.1)(features))
    return keras.Model(inputs, logits, name=f"{dataset}_classifier")


def load_split(name, split, data_dir):
    import tensorflow_datasets as tfds

    images, labels = tfds.as_numpy(
        tfds.load(name, split=split, data_dir=str(data_dir), download=False,
                  batch_size=-1, as_supervised=True))
    return images, labels


def to_unit_range(images):
    """uint8 [0, 255] → float32 [-1, 1] with a channel axis."""
    images = np.asarray(images, dtype="float32")
    if images.ndim == 3:
        images = images[..., None]
    return images / 127.5 - 1.0


def fit_classifier(model, train, test, epochs=10, batch_size=128, verbose=2):
    """Trains `model` on `train = (images, labels)` with Adam(3e-3) on a cosine decay and
    returns its accuracy on `test`."""
    schedule = keras.optimizers.schedules.CosineDecay(
        3e-3, decay_steps=epochs * int(np.ceil(len(train[0]) / batch_size)))
    model.compile(optimizer=keras.optimizers.Adam(schedule),
                  loss=keras.losses.SparseCategoricalCrossentropy(from_logits=True),
                  metrics=["accuracy"])
    model.fit(*train, batch_size=batch_size, epochs=epochs, verbose=verbose)
    return model.evaluate(*test, batch_size=500, verbose=0)[1]


def main(argv=None):
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("dataset", choices=("mnist", "cifar10"))
    parser.add_argument("--data-dir", default=str(ROOT.parent / "shared" / "data" /
                                                  "tensorflow_datasets"))
    parser.add_argument("--output", required=True)
    parser.add_argument("--epochs", type=int, default=10)
    parser.add_argument("--batch-size", type=int, default=128)
    parser.add_argument("--seed", type=int, default=0)
    args = parser.parse_args(argv)

    keras.utils.set_random_seed(args.seed)
    if args.dataset == "mnist":
        with np.load(ROOT / "tfgan" / "data" / "mnist_train_subset.npz") as data:
            x_train, y_train = data["x_train"], data["y_train"]
    else:
        x_train, y_train = load_split(args.dataset, "train", args.data_dir)
    x_test, y_test = load_split(args.dataset, "test", args.data_dir)
    x_train, x_test = to_unit_range(x_train), to_unit_range(x_test)
    y_train, y_test = y_train.astype("int64"), y_test.astype("int64")

    model = build_classifier(args.dataset)
    accuracy = fit_classifier(model, (x_train, y_train), (x_test, y_test), args.epochs,
                              args.batch_size)
    # Save without the optimizer: the shipped file only serves inference.
    model.compile(loss=keras.losses.SparseCategoricalCrossentropy(from_logits=True))
    model.save(args.output, include_optimizer=False)
    size_kb = pathlib.Path(args.output).stat().st_size / 1024
    print(f"params={model.count_params()} test_accuracy={accuracy:.4f} "
          f"({len(x_test):,} official test images) saved={args.output} ({size_kb:.0f} KiB)")


if __name__ == "__main__":
    main()
