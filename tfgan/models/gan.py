"""The GAN model: alternating discriminator/generator updates under `model.fit`."""

import numpy as np
import keras
import tensorflow as tf
from keras import ops

from tfgan.models.base import FAKE
from tfgan.models.base import REAL
from tfgan.models.base import AdversarialModel
from tfgan.utils import distribute
from tfgan.utils.batching import predict_in_batches
from tfgan.utils.seeds import stateless_latents
from tfgan.utils.validation import check_positive_int


def static_shape(tensor_or_shape):
    """The shape of a tensor (or a shape) as a tuple of ints and `None`s."""
    shape = getattr(tensor_or_shape, "shape", tensor_or_shape)
    return tuple(None if d is None else int(d) for d in shape)


def _infer_latent_dim(generator, latent_dim):
    if latent_dim is not None:
        return check_positive_int("latent_dim", latent_dim)
    inputs = getattr(generator, "inputs", None)
    if not inputs:
        raise ValueError(
            "Cannot infer the latent size of a generator that has no symbolic inputs "
            "(a subclassed model that was never called). Pass `latent_dim=`. "
            f"Received: generator={generator.name!r}"
        )
    shape = static_shape(inputs[0])
    if len(shape) != 2 or shape[1] is None:
        raise ValueError(
            "The generator's (first) input must be a latent vector of shape "
            f"(batch, latent_dim). Received: generator input shape={shape}"
        )
    return shape[1]


def _shapes_match(a, b):
    return len(a) == len(b) and all(x is None or y is None or x == y for x, y in zip(a, b))


@keras.saving.register_keras_serializable(package="tfgan")
class GAN(AdversarialModel):
    """A generative adversarial network (Goodfellow et al. 2014) that trains with `fit`.

    Each `train_step` makes `d_steps` discriminator updates then one generator update, each
    under its own `GradientTape`. Losses follow `tfgan.losses`: D minimizes
    `d_loss(1, D(x)) + d_loss(0, D(G(z)))` and G minimizes `g_loss(1, D(G(z)))`.

    Latents are standard normal. They are drawn from a stateless stream seeded by `seed`
    and the model's `step` counter (a saved, checkpointed variable), the call index and
    the replica id, so a seeded model gives identical histories run to run and a run
    restored from a checkpoint sees the same noise as an uninterrupted one.

    Data: `fit` takes images, or `(images, labels)` whose labels are ignored, as numpy
    arrays or a `tf.data.Dataset`. Images must be floating point with the discriminator's
    input shape, scaled to [-1, 1] (see `tfgan.datasets`).

    Metrics (reset every epoch, in `history`): `d_loss`, `g_loss`, and `real_score` /
    `fake_score`, the discriminator's mean logit on real and generated images; with
    stabilizers, also what each logs (e.g. a penalty's unweighted value under its `name`).

    Args:
        generator: a Keras model mapping latents `(batch, latent_dim)` to images.
        discriminator: a Keras model mapping images to logits `(batch, 1)` (or any shape
            with a leading batch axis, e.g. a PatchGAN map).
        latent_dim: size of the latent vector. `None` reads it from the generator's input.
        seed: integer seed of the latent noise. `None` draws one (stored in the config).
        ema_decay: EMA of the generator's weights (`ema_generator`), used by `generate`,
            callbacks and export; see `tfgan.models.AdversarialModel`. `None` (default)
            disables it.
        **kwargs: passed to `keras.Model` (e.g. `name`).
    """

    COMPILE_ARGS = ("d_steps",)
    OBSERVES_REAL_LOGITS = True

    def __init__(self, generator, discriminator, latent_dim=None, seed=None, ema_decay=None,
                 **kwargs):
        super().__init__(seed=seed, ema_decay=ema_decay, **kwargs)
        self._set_networks(generator=generator, discriminator=discriminator)
        self.latent_dim = _infer_latent_dim(generator, latent_dim)
        self._check_networks()
        self._add_trackers("d_loss", "g_loss", "real_score", "fake_score")
        self._init_state()

    def _check_networks(self):
        """Builds the networks if needed and checks that G's output fits D's input."""
        fake_shape = static_shape(self._dummy_generator_output())[1:]
        d_inputs = getattr(self.discriminator, "inputs", None)
        if d_inputs:
            d_shape = static_shape(d_inputs[0])[1:]
            if not _shapes_match(d_shape, fake_shape):
                raise ValueError(
                    "The generator's output shape does not match the discriminator's "
                    f"input shape. Expected: generator output (batch, *{d_shape}). "
                    f"Received: generator output shape=(batch, *{fake_shape})"
                )
        self.image_shape = fake_shape

    def _dummy_generator_output(self):
        outputs = getattr(self.generator, "outputs", None)
        if outputs:
            return outputs[0]
        return self.generator(ops.zeros((1, self.latent_dim)), training=False)

    def compile(self, g_optimizer=None, d_optimizer=None, loss="non_saturating", d_steps=1,
                **kwargs):
        """Configures the GAN for training.

        Args:
            g_optimizer, d_optimizer, loss: see `AdversarialModel.compile`; the default
                loss is `"non_saturating"` (Goodfellow et al. 2014).
            d_steps: discriminator updates per generator update (5 for WGAN, Arjovsky et
                al. 2017). All use the same real batch. Default 1.
            **kwargs: `g_loss`, `d_loss`, `stabilizers` and `keras.Model.compile`
                arguments (see `AdversarialModel.compile`).
        """
        self.d_steps = check_positive_int("d_steps", d_steps)
        super().compile(g_optimizer=g_optimizer, d_optimizer=d_optimizer, loss=loss, **kwargs)

    # ------------------------------------------------------------------ noise and sampling

    def training_latents(self, batch_size, index=0):
        """Latents of call `index` of the current train step.

        Under `tf.distribute`, each replica takes its own slice of the latents of the whole
        global batch: replicas get distinct noise, and the noise of a global batch does not
        depend on the number of replicas (so 1 and N replicas train identically).
        """
        return distribute.replica_rows(
            lambda n: stateless_latents(n, self.latent_dim, self.seed, self.step, index),
            batch_size)

    def sample_latents(self, n, seed=0):
        """`n` fixed standard-normal latents, a function of `seed` only."""
        return stateless_latents(n, self.latent_dim, seed).numpy()

    def generate(self, n=None, seed=0, latents=None, batch_size=256):
        """Generates images in inference mode.

        Args:
            n: number of images (ignored when `latents` is given).
            seed: seed of the latents; the same seed gives the same images.
            latents: optional array `(n, latent_dim)` to use instead.
            batch_size: images per generator call.

        Returns:
            A float32 numpy array `(n, *image_shape)` in the generator's output range:
            [-1, 1] for every `tfgan.architectures` generator (tanh output).
        """
        return predict_in_batches(self.sampling_generator, self.checked_latents(n, seed, latents),
                                  batch_size)

    def checked_latents(self, n=None, seed=0, latents=None):
        """`latents` as a float32 array `(n, latent_dim)`, or `n` latents of `seed`."""
        if latents is None:
            latents = self.sample_latents(check_positive_int("n", n), seed)
        latents = np.asarray(latents, dtype="float32")
        if latents.ndim != 2 or latents.shape[1] != self.latent_dim:
            raise ValueError(
                f"`latents` must have shape (n, {self.latent_dim}). "
                f"Received: latents.shape={latents.shape}"
            )
        return latents

    def sample(self, n=16, seed=0, inputs=None):
        """`n` images from the latents of `seed` (the sample grid); `inputs` is unused."""
        del inputs
        return self.generate(n, seed=seed)

    # ------------------------------------------------------------------ training

    def _unpack(self, data):
        real, labels = self.unpack(data)
        dtype = getattr(real, "dtype", None)
        if dtype is None or not keras.backend.is_float_dtype(keras.backend.standardize_dtype(dtype)):
            raise TypeError(
                "Training images must be floating point (normally scaled to [-1, 1]; "
                "`tfgan.datasets` does this). Received: images of dtype "
                f"{getattr(real, 'dtype', type(real))}")
        shape = static_shape(real)[1:]
        if not _shapes_match(shape, self.image_shape):
            raise ValueError(
                f"Training images must have shape (batch, *{self.image_shape}), the shape the "
                f"generator makes. Received: images of shape (batch, *{shape})")
        return real, labels

    def generator_call(self, latents, labels, training=True):
        """The generator on training latents (conditional subclasses add the labels)."""
        return self.generator(latents, training=training)

    def discriminate(self, images, labels, training=True):
        """Discriminator logits for images (overridden by conditional subclasses)."""
        return self.discriminator(images, training=training)

    @staticmethod
    def adversarial_logits(logits):
        """The part of D's output the adversarial losses and penalties see: all of it
        (models whose D has extra heads, e.g. ACGAN's classes, override this)."""
        return logits

    def discriminator_loss(self, real, fake, labels, real_logits, fake_logits):
        """The discriminator's objective.

        Returns:
            `(loss, logs)`: the loss to minimize (scaled for distribution like a Keras
            loss) and a dict of unscaled values, each fed to the tracker of that name.
        """
        return self.d_loss(1.0, real_logits) + self.d_loss(0.0, fake_logits), {}

    def generator_loss(self, real, fake, labels, fake_logits):
        """The generator's objective; returns `(loss, logs)` as `discriminator_loss`."""
        return self.g_loss(1.0, fake_logits), {}

    def _discriminator_step(self, real, labels, batch_size, index):
        fake = self.generator_call(self.training_latents(batch_size, index), labels)
        real = self.transform_for_discriminator(real, index, REAL)
        fake = self.transform_for_discriminator(fake, index, FAKE)
        with tf.GradientTape() as tape:
            real_logits = self.discriminate(real, labels)
            fake_logits = self.discriminate(fake, labels)
            loss, logs = self.discriminator_loss(real, fake, labels, real_logits, fake_logits)
            loss = loss + self.discriminator_regularization(
                lambda x, training=True: self.adversarial_logits(
                    self.discriminate(x, labels, training=training)),
                real, fake, index)
        self.apply_update("discriminator", tape, loss)
        self.observe_real_logits(self.adversarial_logits(real_logits))
        return loss, real_logits, fake_logits, logs

    def _generator_step(self, real, labels, batch_size, index):
        if self.transforms_real_for_generator:
            real = self.transform_for_discriminator(real, index, REAL)
        with tf.GradientTape() as tape:
            latents = self.training_latents(batch_size, index)
            fake = self.generator_call(latents, labels)
            d_fake = self.transform_for_discriminator(fake, index, FAKE)
            fake_logits = self.discriminate(d_fake, labels)
            loss, logs = self.generator_loss(real, fake, labels, fake_logits)
            loss = loss + self.generator_regularization(real, d_fake, latents)
        self.apply_update("generator", tape, loss)
        return loss, logs

    def train_step(self, data):
        real, labels = self._unpack(data)
        batch_size = ops.shape(real)[0]
        for index in range(self.d_steps):
            d_loss, real_logits, fake_logits, d_logs = self._discriminator_step(
                real, labels, batch_size, index)
        g_loss, g_logs = self._generator_step(real, labels, batch_size, self.d_steps)
        self.step.assign_add(1)
        return self._log_step(d_loss, g_loss, real_logits, fake_logits, {**d_logs, **g_logs})

    def test_step(self, data):
        """Evaluates both losses and D's scores on a batch without updating anything."""
        real, labels = self._unpack(data)
        fake = self.generator_call(self.training_latents(ops.shape(real)[0]), labels,
                                   training=False)
        real_logits = self.discriminate(real, labels, training=False)
        fake_logits = self.discriminate(fake, labels, training=False)
        d_loss, d_logs = self.discriminator_loss(real, fake, labels, real_logits, fake_logits)
        g_loss, g_logs = self.generator_loss(real, fake, labels, fake_logits)
        return self._log_step(d_loss, g_loss, real_logits, fake_logits, {**d_logs, **g_logs})

    def _log_step(self, d_loss, g_loss, real_logits, fake_logits, extra_logs):
        return self.log({"d_loss": d_loss, "g_loss": g_loss},
                        {"real_score": ops.mean(ops.cast(real_logits, "float32")),
                         "fake_score": ops.mean(ops.cast(fake_logits, "float32")),
                         **extra_logs})

    def get_config(self):
        config = super().get_config()
        config["latent_dim"] = self.latent_dim
        return config
