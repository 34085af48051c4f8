"""# A new model on tfgan's core: a denoising GAN in one small class

`tfgan.models.AdversarialModel` owns what every GAN shares — both optimizers, compile
validation and its `.keras` round trip, the step counter, stabilizers, replica-correct
logging, EMA — so a new model names its networks and writes its losses. This one maps
noisy images to clean ones: G minimizes `g_loss(1, D(G(x̃))) + λ·|x - G(x̃)|₁`, D tells
clean images from G's denoised ones. It trains on the embedded MNIST subset (offline) and
writes `noisy | denoised | clean` rows to `denoised.png`.

Run: `python examples/denoising_gan.py --epochs 2` (`--smoke` runs 2 steps).
"""

import argparse
import pathlib

import keras
import numpy as np
import tensorflow as tf

import tfgan
from tfgan.models.base import FAKE, REAL, AdversarialModel


# ## The model: networks, compile arguments, losses
@keras.saving.register_keras_serializable(package="examples")
class DenoisingGAN(AdversarialModel):
    COMPILE_ARGS = ("l1_weight",)

    def __init__(self, generator, discriminator, noise=0.5, **kwargs):
        super().__init__(**kwargs)
        self._set_networks(generator=generator, discriminator=discriminator)
        self.noise = noise
        self._add_trackers("d_loss", "g_loss", "l1_loss")
        self._init_state()

    def compile(self, l1_weight=10.0, **kwargs):
        self.l1_weight = l1_weight
        super().compile(**kwargs)

    def train_step(self, clean):
        noisy = clean + self.noise * tf.random.stateless_normal(
            tf.shape(clean), self.stabilizer_seed(0, 2))
        with tf.GradientTape() as g_tape, tf.GradientTape() as d_tape:
            denoised = self.generator(noisy, training=True)
            real = self.discriminator(self.transform_for_discriminator(clean, 0, REAL))
            fake = self.discriminator(self.transform_for_discriminator(denoised, 0, FAKE))
            d_loss = self.d_loss(1.0, real) + self.d_loss(0.0, fake)
            l1 = keras.losses.mean_absolute_error(clean, denoised)
            g_loss = self.g_loss(1.0, fake) + self.l1_weight * keras.ops.mean(l1)
        self.apply_update("discriminator", d_tape, d_loss)
        self.apply_update("generator", g_tape, g_loss)
        self.step.assign_add(1)
        return self.log({"d_loss": d_loss, "g_loss": g_loss}, {"l1_loss": keras.ops.mean(l1)})

    def sample(self, n=16, seed=0, inputs=None):
        return self.generator.predict(inputs[:n], verbose=0)

    def get_config(self):
        return {**super().get_config(), "noise": self.noise}


# ## Networks and training
def main(argv=None):
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--epochs", type=int, default=2)
    parser.add_argument("--out", default="runs/denoising_gan")
    parser.add_argument("--smoke", action="store_true", help="2 steps, for CI")
    args = parser.parse_args(argv)
    out = pathlib.Path(args.out)
    out.mkdir(parents=True, exist_ok=True)
    keras.utils.set_random_seed(0)
    shape = (28, 28, 1)
    inputs = keras.Input(shape)
    x = keras.layers.Conv2D(32, 3, padding="same", activation="relu")(inputs)
    x = keras.layers.Conv2D(32, 3, padding="same", activation="relu")(x)
    generator = keras.Model(inputs, keras.layers.Conv2D(1, 3, padding="same",
                                                        activation="tanh")(x))
    discriminator = tfgan.architectures.dcgan_discriminator(shape, base_filters=16)
    model = DenoisingGAN(generator, discriminator, seed=0)
    model.compile(l1_weight=10.0, stabilizers=[tfgan.augment.DiffAugment("translation")])
    data = tfgan.datasets.embedded_mnist(batch_size=64, seed=0)
    model.fit(data, epochs=1 if args.smoke else args.epochs,
              steps_per_epoch=2 if args.smoke else None, verbose=2)
    clean = next(iter(data))[:8].numpy()
    noisy = np.clip(clean + 0.5 * np.random.default_rng(0).normal(size=clean.shape), -1, 1)
    rows = np.concatenate([noisy, model.sample(8, inputs=noisy), clean]).astype("float32")
    tfgan.utils.save_grid(rows, out / "denoised.png", rows=3)
    model.save(out / "denoising_gan.keras")  # compile config, stabilizers and all
    print(f"wrote {out / 'denoised.png'}")


if __name__ == "__main__":
    main()
