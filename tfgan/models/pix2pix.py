"""Pix2Pix: paired image-to-image translation with a conditional GAN (Isola et al. 2017)."""

import keras
import numpy as np
import tensorflow as tf
from keras import ops

from tfgan.models._image_to_image import ImageToImageModel


@keras.saving.register_keras_serializable(package="tfgan")
class Pix2Pix(ImageToImageModel):
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

    NETWORKS = ("generator", "discriminator")
    BATCH = ("inputs", "targets")

    def __init__(self, generator, discriminator, **kwargs):
        super().__init__(**kwargs)
        self._check_networks(generator=generator, discriminator=discriminator)
        self.d_loss_tracker = keras.metrics.Mean(name="d_loss")
        self.g_loss_tracker = keras.metrics.Mean(name="g_loss")
        self.g_gan_loss_tracker = keras.metrics.Mean(name="g_gan_loss")
        self.l1_loss_tracker = keras.metrics.Mean(name="l1_loss")
        self.real_score_tracker = keras.metrics.Mean(name="real_score")
        self.fake_score_tracker = keras.metrics.Mean(name="fake_score")
        # Mean absolute error over every pixel; a Keras loss, so divided by the replica count.
        self.l1 = keras.losses.MeanAbsoluteError()
        self.built = True

    @property
    def generator_variables(self):
        return self.generator.trainable_variables

    @property
    def discriminator_variables(self):
        return self.discriminator.trainable_variables

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
        self._compile(g_optimizer, d_optimizer, loss, {"l1_weight": l1_weight}, kwargs)

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
        self.real_score_tracker.update_state(ops.mean(ops.cast(real_logits, "float32")))
        self.fake_score_tracker.update_state(ops.mean(ops.cast(fake_logits, "float32")))
        return self._log({"d_loss": d_loss, "g_loss": g_loss, "g_gan_loss": g_gan,
                          "l1_loss": l1})

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
