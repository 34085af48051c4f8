"""Time to quality: tfgan's `dcgan-mnist` preset against the TensorFlow DCGAN tutorial.

Both train on the embedded MNIST subset (19,690 digits, [-1, 1]) in the same process, one
after the other, each for the same wall-clock budget of training steps (evaluation time
is not counted). The tutorial's recipe is written as the tutorial writes it: its
generator (Dense 7·7·256 → BN → transposed 5x5 convolutions 128, 64, 1) and
discriminator (5x5 convolutions 64, 128 with dropout 0.3), binary cross-entropy on logits,
Adam(1e-4) for both, batch 256, a plain `tf.function` train step with `tf.random.normal`
noise (www.tensorflow.org/tutorials/generative/dcgan). tfgan's side is
`tfgan.presets.get("dcgan-mnist")` trained with `fit`, its EMA generator judged.

Every `--every` seconds of training, 2,000 samples are judged by the shipped MNIST
classifier (MNIST score, for the time to reach `--target`); at each budget in `--budgets`,
10,000 samples (MNIST score, MNIST FID and KID against the training digits, class shares:
`_judged.ClassifierJudge`). One JSON line
per recipe goes to `--save`.

    python benchmarks/time_to_quality.py --budgets 150,300,600 --save benchmarks/time_to_quality.jsonl
"""

import argparse
import json
import pathlib
import sys
import time

import keras
import numpy as np
import tensorflow as tf

import tfgan

sys.path.insert(0, str(pathlib.Path(__file__).resolve().parent))
import _judged  # noqa: E402

LATENT = 100


def tutorial_networks():
    """The TensorFlow DCGAN tutorial's generator and discriminator."""
    layers = keras.layers
    generator = keras.Sequential([
        keras.Input((LATENT,)),
        layers.Dense(7 * 7 * 256, use_bias=False), layers.BatchNormalization(),
        layers.LeakyReLU(), layers.Reshape((7, 7, 256)),
        layers.Conv2DTranspose(128, 5, strides=1, padding="same", use_bias=False),
        layers.BatchNormalization(), layers.LeakyReLU(),
        layers.Conv2DTranspose(64, 5, strides=2, padding="same", use_bias=False),
        layers.BatchNormalization(), layers.LeakyReLU(),
        layers.Conv2DTranspose(1, 5, strides=2, padding="same", use_bias=False,
                               activation="tanh")])
    discriminator = keras.Sequential([
        keras.Input((28, 28, 1)),
        layers.Conv2D(64, 5, strides=2, padding="same"), layers.LeakyReLU(),
        layers.Dropout(0.3),
        layers.Conv2D(128, 5, strides=2, padding="same"), layers.LeakyReLU(),
        layers.Dropout(0.3), layers.Flatten(), layers.Dense(1)])
    return generator, discriminator


class Clock:
    """Training seconds, with the judging schedule: quick checks every `every` s and full
    ones at each budget."""

    def __init__(self, budgets, every, judge, sample, target):
        self.budgets, self.every, self.judge, self.sample = list(budgets), every, judge, sample
        self.target, self.spent, self.next_check = target, 0.0, every
        self.curve, self.at_budget, self.time_to_target = [], {}, None

    def tick(self, seconds):
        """Adds training time; judges when a check or a budget is due. Returns False when
        the last budget is spent."""
        self.spent += seconds
        if self.spent >= self.next_check:
            record = self.judge(self.sample, 2000)
            self.curve.append((round(self.spent, 1), record["score"]))
            if self.time_to_target is None and record["score"] >= self.target:
                self.time_to_target = round(self.spent, 1)
            self.next_check += self.every
        if self.budgets and self.spent >= self.budgets[0]:
            self.at_budget[self.budgets.pop(0)] = self.judge(self.sample, 10_000)
        return bool(self.budgets)


def train_tutorial(clock, seed=0):
    keras.utils.set_random_seed(seed)
    generator, discriminator = tutorial_networks()
    g_opt, d_opt = keras.optimizers.Adam(1e-4), keras.optimizers.Adam(1e-4)
    bce = keras.losses.BinaryCrossentropy(from_logits=True)

    @tf.function
    def train_step(images):
        noise = tf.random.normal([tf.shape(images)[0], LATENT])
        with tf.GradientTape() as g_tape, tf.GradientTape() as d_tape:
            fake = generator(noise, training=True)
            real_output = discriminator(images, training=True)
            fake_output = discriminator(fake, training=True)
            g_loss = bce(tf.ones_like(fake_output), fake_output)
            d_loss = (bce(tf.ones_like(real_output), real_output)
                      + bce(tf.zeros_like(fake_output), fake_output))
        g_opt.apply_gradients(zip(g_tape.gradient(g_loss, generator.trainable_variables),
                                  generator.trainable_variables))
        d_opt.apply_gradients(zip(d_tape.gradient(d_loss, discriminator.trainable_variables),
                                  discriminator.trainable_variables))

    clock.sample = lambda n, seed: np.asarray(generator.predict(
        np.random.default_rng(seed).standard_normal((n, LATENT)).astype("float32"),
        batch_size=500, verbose=0))
    data = tfgan.datasets.embedded_mnist(batch_size=256, seed=seed, repeat=True)
    for images in data:
        start = time.perf_counter()
        train_step(images)
        if not clock.tick(time.perf_counter() - start):
            return


def train_tfgan(clock, seed=0):
    keras.utils.set_random_seed(seed)
    preset = tfgan.presets.get("dcgan-mnist")
    config = preset.resolve()
    steps = int(max(clock.budgets) / 0.03)  # a generous run length for LR schedules
    model = preset.build(config, seed=seed, steps=steps)
    clock.sample = lambda n, seed: model.generate(n, seed=seed)
    data = preset.dataset(config, seed=seed).repeat()
    model.fit(data, epochs=10_000, steps_per_epoch=19_690 // config["batch_size"],
              verbose=0, callbacks=[_judged.BatchTimer(clock.tick)])


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--budgets", default="150,300,600")
    parser.add_argument("--every", type=float, default=30.0)
    parser.add_argument("--target", type=float, default=9.0)
    parser.add_argument("--recipes", default="tfgan,tutorial")
    parser.add_argument("--save", default="benchmarks/time_to_quality.jsonl")
    args = parser.parse_args()
    budgets = sorted(float(b) for b in args.budgets.split(","))
    judge = _judged.ClassifierJudge("mnist")
    for recipe in args.recipes.split(","):
        clock = Clock(budgets, args.every, judge, None, args.target)
        {"tfgan": train_tfgan, "tutorial": train_tutorial}[recipe](clock)
        record = {"recipe": recipe, "target": args.target,
                  "time_to_target_s": clock.time_to_target,
                  "at_budget": {str(int(b)): r for b, r in clock.at_budget.items()},
                  "curve": clock.curve}
        print(json.dumps(record), flush=True)
        with open(args.save, "a") as f:
            f.write(json.dumps(record) + "\n")


if __name__ == "__main__":
    main()
