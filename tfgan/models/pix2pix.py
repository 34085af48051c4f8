"""Pix2Pix: paired image-to-image translation with a conditional GAN (Isola et al. 2017)."""

import keras
import numpy as np
import tensorflow as tf
from keras import ops

from tfgan import losses as losses_lib
from tfgan.models.gan import GAN
from tfgan.models.gan import _num_replicas


def _l1():
    # Mean absolute error over every pixel; a Keras loss, so divided by the replica count.
    return keras.losses.MeanAbsoluteError()


@keras.saving.register_keras_serializable(package="tfgan")
class Pix2Pix(keras.Model):
    """Pix2Pix (Isola et al. 2017): G translates inputs to targets, D judges (input, image).

    Each `train_step` runs G once and updates D and G from the same forward pass:

    - D minimizes `d_loss(1, D(x, y)) + d_loss(0, D(x, G(x)))`;
    - G minimizes `g_loss(1, D(x, G(x))) + λ·|y - G(x)|₁` (mean absolute error), λ = 100.

    G's dropout is its only noise (active with `training=True`, as in the paper, which
    also keeps it at test time; `translate` runs in inference mode by default). Networks:
    `tfgan.architectures.unet_generator` and
    `patchgan_discriminator(conditional_channels=...)`.

    Data: `fit` takes `(inputs, targets)` image batches in [-1, 1]
    (`tfgan.datasets.paired_dataset`).

    Metrics: `d_loss`, `g_loss` (total), `g_gan_loss`, `l1_loss`, `real_score`,
    `fake_score` (D's mean logit on real and generated pairs).

    Args:
        generator: a Keras model `inputs → images`.
        discriminator: a Keras model `[inputs, images] → logits` (e.g. a PatchGAN map).
        **kwargs: passed to `keras.Model`.
    """

    def __init__(self, generator, discriminator, **kwargs):
        super().__init__(**kwargs)
        for arg, value in (("generator", generator), ("discriminator", discriminator)):
            if not isinstance(value, keras.Model):
                raise TypeError(f"`{arg}` must be a keras.Model. Received: {arg}={value!r}")
        self.generator = generator
        self.discriminator = discriminator
        self.d_loss_tracker = keras.metrics.Mean(name="d_loss")
        self.g_loss_tracker = keras.metrics.Mean(name="g_loss")
        self.g_gan_loss_tracker = keras.metrics.Mean(name="g_gan_loss")
        self.l1_loss_tracker = keras.metrics.Mean(name="l1_loss")
        self.real_score_tracker = keras.metrics.Mean(name="real_score")
        self.fake_score_tracker = keras.metrics.Mean(name="fake_score")
        self.l1 = _l1()
        self.built = True

    @property
    def metrics(self):
        return [self.d_loss_tracker, self.g_loss_tracker, self.g_gan_loss_tracker,
                self.l1_loss_tracker, self.real_score_tracker, self.fake_score_tracker]

    def compile(self, g_optimizer=None, d_optimizer=None, loss="non_saturating",
                l1_weight=100.0, **kwargs):
        """Configures training.

        Args:
            g_optimizer: generator optimizer; `None` is Adam(2e-4, β1 = 0.5) (the paper's).
            d_optimizer: discriminator optimizer; same default.
            loss: GAN formulation for `tfgan.losses.get_pair` (default
                `"non_saturating"`, the paper's; `"least_squares"` also works well).
            l1_weight: λ of the L1 term. Default 100 (Isola et al. 2017).
            **kwargs: passed to `keras.Model.compile` (`run_eagerly`, `jit_compile`, ...).
        """
        for key in ("optimizer", "metrics", "loss_weights", "weighted_metrics"):
            if key in kwargs:
                raise ValueError(f"Pix2Pix.compile does not take `{key}`. "
                                 f"Received: {key}={kwargs[key]!r}")
        if float(l1_weight) < 0:
            raise ValueError(f"`l1_weight` must be non-negative. Received: l1_weight={l1_weight}")
        super().compile(optimizer=None, **kwargs)
        self.loss_name = loss
        self.d_loss, self.g_loss = losses_lib.get_pair(loss)
        self.l1_weight = float(l1_weight)
        self.g_optimizer = GAN._resolve_optimizer(g_optimizer)
        self.d_optimizer = GAN._resolve_optimizer(d_optimizer)
        self.g_optimizer.build(self.generator.trainable_variables)
        self.d_optimizer.build(self.discriminator.trainable_variables)

    def get_compile_config(self):
        if not self.compiled:
            return None
        serialize = keras.saving.serialize_keras_object
        return {
            "g_optimizer": serialize(self.g_optimizer),
            "d_optimizer": serialize(self.d_optimizer),
            "loss": self.loss_name,
            "l1_weight": self.l1_weight,
            "run_eagerly": self.run_eagerly,
            "jit_compile": self.jit_compile,
            "steps_per_execution": self.steps_per_execution,
        }

    def compile_from_config(self, config):
        config = dict(config)
        for key in ("g_optimizer", "d_optimizer"):
            config[key] = keras.saving.deserialize_keras_object(config[key])
        self.compile(**config)

    # ------------------------------------------------------------------ training

    @staticmethod
    def _unpack(data):
        inputs, targets, sample_weight = keras.utils.unpack_x_y_sample_weight(data)
        if targets is None or sample_weight is not None:
            raise ValueError("Pix2Pix trains on (inputs, targets) image batches. Received: "
                             f"data with targets={'None' if targets is None else 'given'} "
                             f"and sample_weight={'None' if sample_weight is None else 'given'}")
        return inputs, targets

    def _compute_losses(self, inputs, targets, training):
        fake = self.generator(inputs, training=training)
        real_logits = self.discriminator([inputs, targets], training=training)
        fake_logits = self.discriminator([inputs, fake], training=training)
        d_loss = self.d_loss(1.0, real_logits) + self.d_loss(0.0, fake_logits)
        g_gan = self.g_loss(1.0, fake_logits)
        l1 = self.l1(targets, fake)
        g_loss = g_gan + self.l1_weight * l1
        return d_loss, g_loss, g_gan, l1, real_logits, fake_logits

    def train_step(self, data):
        inputs, targets = self._unpack(data)
        with tf.GradientTape() as g_tape, tf.GradientTape() as d_tape:
            d_loss, g_loss, g_gan, l1, real_logits, fake_logits = self._compute_losses(
                inputs, targets, training=True)
            scaled_d = self.d_optimizer.scale_loss(d_loss)
            scaled_g = self.g_optimizer.scale_loss(g_loss)
        d_vars = self.discriminator.trainable_variables
        g_vars = self.generator.trainable_variables
        d_grads = d_tape.gradient(scaled_d, d_vars)
        g_grads = g_tape.gradient(scaled_g, g_vars)
        self.d_optimizer.apply_gradients(zip(d_grads, d_vars))
        self.g_optimizer.apply_gradients(zip(g_grads, g_vars))
        return self._update_metrics(d_loss, g_loss, g_gan, l1, real_logits, fake_logits)

    def test_step(self, data):
        inputs, targets = self._unpack(data)
        return self._update_metrics(*self._compute_losses(inputs, targets, training=False))

    def _update_metrics(self, d_loss, g_loss, g_gan, l1, real_logits, fake_logits):
        replicas = _num_replicas()
        for tracker, value in ((self.d_loss_tracker, d_loss), (self.g_loss_tracker, g_loss),
                               (self.g_gan_loss_tracker, g_gan), (self.l1_loss_tracker, l1)):
            tracker.update_state(ops.cast(value, "float32") * replicas)
        self.real_score_tracker.update_state(ops.mean(ops.cast(real_logits, "float32")))
        self.fake_score_tracker.update_state(ops.mean(ops.cast(fake_logits, "float32")))
        return {m.name: m.result() for m in self.metrics}

    # ------------------------------------------------------------------ inference

    def translate(self, inputs, batch_size=16, training=False):
        """Translates input images with the generator.

        Args:
            inputs: array `(n, h, w, c)` in [-1, 1].
            batch_size: images per generator call.
            training: run dropout (and batch statistics) as in training, the paper's
                test-time setting. Default False.

        Returns:
            A float32 numpy array of generated images in [-1, 1].
        """
        inputs = np.asarray(inputs, dtype="float32")
        return np.concatenate([
            np.asarray(self.generator(inputs[i:i + batch_size], training=training))
            for i in range(0, len(inputs), batch_size)
        ], axis=0)

    def get_config(self):
        config = super().get_config()
        config.update({
            "generator": keras.saving.serialize_keras_object(self.generator),
            "discriminator": keras.saving.serialize_keras_object(self.discriminator),
        })
        return config

    @classmethod
    def from_config(cls, config):
        config = dict(config)
        for key in ("generator", "discriminator"):
            config[key] = keras.saving.deserialize_keras_object(config[key])
        return cls(**config)
