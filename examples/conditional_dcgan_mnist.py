"""Conditional DCGAN on MNIST: ask for a digit, get that digit.

A class-conditional GAN (Mirza & Osindero 2014) with

- a DCGAN generator (Radford et al. 2016) that embeds the label and concatenates it to `z`,
- a projection discriminator (Miyato & Koyama 2018) with an ACGAN auxiliary classifier
  (Odena et al. 2017),

trained with `model.fit` on the MNIST subset that ships with tfgan (19,690 digits).

We then check that the generator obeys the label: the MNIST classifier that ships with
tfgan (trained on real digits only) labels `--eval_per_class` samples of each requested
digit. The target is ≥ 95% of samples classified as the requested digit.

Run:

    python examples/conditional_dcgan_mnist.py --epochs 10 --out runs/conditional_dcgan_mnist
    python examples/conditional_dcgan_mnist.py --smoke      # one step, for CI
"""

import argparse
import json
import pathlib
import time

import keras
import numpy as np

import tfgan
from tfgan.datasets.images import from_arrays
from tfgan.datasets.images import load_embedded_mnist
from tfgan.utils.images import save_image


def parse_args(argv=None):
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--epochs", type=int, default=10)
    parser.add_argument("--batch_size", type=int, default=64)
    parser.add_argument("--latent_dim", type=int, default=64)
    parser.add_argument("--base_filters", type=int, default=32)
    parser.add_argument("--auxiliary_weight", type=float, default=1.0,
                        help="ACGAN class-loss weight; a negative value disables ACGAN.")
    parser.add_argument("--eval_per_class", type=int, default=1000)
    parser.add_argument("--seed", type=int, default=0)
    parser.add_argument("--out", default="runs/conditional_dcgan_mnist")
    parser.add_argument("--smoke", action="store_true",
                        help="Tiny run: 128 images, one step, 10 samples per class.")
    return parser.parse_args(argv)


# ## The data
# Images scaled to [-1, 1], batches of `(images, labels)`: the conditional GAN reads both.

def mnist(smoke):
    x, y = load_embedded_mnist()
    if smoke:
        x, y = x[:128], y[:128]
    return x, y.astype("int32")


# ## The model
# `ConditionalGAN` feeds the real batch's labels to both networks; with `auxiliary_weight`
# D's output is `(batch, 1 + 10)`: one adversarial logit and ten class logits.

def build_model(args):
    aux = args.auxiliary_weight if args.auxiliary_weight >= 0 else None
    generator = tfgan.architectures.conditional_dcgan_generator(
        10, (28, 28, 1), latent_dim=args.latent_dim, base_filters=args.base_filters,
        conditioning="embedding")
    discriminator = tfgan.architectures.conditional_dcgan_discriminator(
        10, (28, 28, 1), base_filters=args.base_filters, conditioning="projection",
        auxiliary_classifier=aux is not None)
    model = tfgan.models.ConditionalGAN(generator, discriminator, num_classes=10,
                                        seed=args.seed, auxiliary_weight=aux)
    model.compile(loss="non_saturating")
    return model


# ## The judge
# The MNIST classifier that ships with tfgan (`tfgan.metrics.load_mnist_classifier`, trained
# on real digits only; 98.46% on the official test set, see benchmarks/RESULTS.md) labels
# the generated digits.

def label_accuracy(model, per_class, seed):
    """Fraction of generated digits that the classifier labels as requested, per class."""
    classifier = tfgan.metrics.load_mnist_classifier()
    labels = np.repeat(np.arange(10), per_class)
    images = model.generate(labels=labels, seed=seed)
    predicted = np.argmax(classifier.predict(images, batch_size=500, verbose=0), axis=-1)
    correct = predicted == labels
    return float(correct.mean()), [float(correct[labels == c].mean()) for c in range(10)]


def main(argv=None):
    args = parse_args(argv)
    out = pathlib.Path(args.out)
    out.mkdir(parents=True, exist_ok=True)
    keras.utils.set_random_seed(args.seed)
    x, y = mnist(args.smoke)

    # ## Train
    model = build_model(args)
    dataset = from_arrays(x, y, batch_size=args.batch_size, seed=args.seed)
    start = time.time()
    history = model.fit(dataset, epochs=1 if args.smoke else args.epochs,
                        steps_per_epoch=1 if args.smoke else None, verbose=2)
    train_seconds = time.time() - start
    tfgan.utils.save_model(model, out / "conditional_gan.keras")

    # ## One row per digit
    save_image(model.sample_grid(per_class=10, seed=args.seed), out / "samples_by_class.png")

    # ## Does it draw the digit we ask for?
    results = {"train_seconds": round(train_seconds, 1),
               "history": {k: [round(float(v), 4) for v in vs]
                           for k, vs in history.history.items()}}
    per_class = 10 if args.smoke else args.eval_per_class
    overall, by_class = label_accuracy(model, per_class, seed=args.seed + 100)
    results.update({"samples_per_class": per_class, "label_accuracy": round(overall, 4),
                    "label_accuracy_by_class": [round(a, 4) for a in by_class]})
    (out / "results.json").write_text(json.dumps(results, indent=2))
    print(json.dumps({k: v for k, v in results.items() if k != "history"}, indent=2))
    return results


if __name__ == "__main__":
    main()
