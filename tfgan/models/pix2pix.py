"""Pix2Pix: paired image-to-image translation with a conditional GAN (Isola et al. 2017)."""

import keras
import numpy as np
import tensorflow as tf
from keras import ops

from tfgan.models.base import FAKE
from tfgan.models.base import REAL
from tfgan.models.base import AdversarialModel
from tfgan.utils.batching import predict_in_batches
from tfgan.utils.validation import check_non_negative


@keras.saving.register_keras_serializable(package="tfgan")
class Pix2Pix(AdversarialModel):
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

    Stabilizers (`compile(stabilizers=...)`) see D's image: transforms of D's inputs
    (`DiffAugment`, `InstanceNoise`) apply to the input and the image together, so the
    pair stays aligned; penalties (`R1Penalty`, ...) differentiate D with respect to the
    image, the input held fixed.

    Metrics: `d_loss`, `g_loss` (total), `g_gan_loss`, `l1_loss`, `real_score`,
    `fake_score` (D's mean logit on real and generated pairs), and what stabilizers log.

    Args:
        generator: a Keras model `inputs → images`.
        discriminator: a Keras model `[inputs, images] → logits` (e.g. a PatchGAN map).
        seed: seed of the stabilizers' noise. `None` draws one.
        ema_decay: EMA of the generator's weights (`ema_generator`), used by `translate`
            and export; see `tfgan.models.AdversarialModel`. Default None.
        **kwargs: passed to `keras.Model`.
    """

    BATCH = ("inputs", "targets")
    IMAGE_ELEMENTS = (0, 1)

    COMPILE_ARGS = ("l1_weight",)

    def __init__(self, generator, discriminator, seed=None, ema_decay=None, **kwargs):
        super().__init__(seed=seed, ema_decay=ema_decay, **kwargs)
        self._set_networks(generator=generator, discriminator=discriminator)
        self._add_trackers("d_loss", "g_loss", "g_gan_loss", "l1_loss", "real_score",
                           "fake_score")
        # Mean absolute error over every pixel; a Keras loss, so divided by the replica count.
        self.l1 = keras.losses.MeanAbsoluteError()
        self._init_state()

    def compile(self, g_optimizer=None, d_optimizer=None, loss="non_saturating",
                l1_weight=100.0, **kwargs):
        """Configures training.

        Args:
            g_optimizer: generator optimizer; `None` is Adam(2e-4, β1 = 0.5) (the paper's).
            d_optimizer: discriminator optimizer; same default.
            loss: GAN formulation for `tfgan.losses.get_pair` (default
                `"non_saturating"`, the paper's; `"least_squares"` also works well).
            l1_weight: λ of the L1 term. Default 100 (Isola et al. 2017).
            **kwargs: `g_loss`, `d_loss`, `stabilizers` and `keras.Model.compile`
                arguments (see `AdversarialModel.compile`).
        """
        self.l1_weight = check_non_negative("l1_weight", l1_weight)
        super().compile(g_optimizer=g_optimizer, d_optimizer=d_optimizer, loss=loss, **kwargs)

    def _discriminator_view(self, inputs, images, kind):
        """`[inputs, images]` as D sees them: transformed together when a stabilizer
        transforms D's inputs."""
        if not self._hooks["discriminator_input"]:
            return inputs, images
        channels = inputs.shape[-1]
        pair = self.transform_for_discriminator(ops.concatenate([inputs, images], axis=-1),
                                                0, kind)
        return pair[..., :channels], pair[..., channels:]

    def _forward(self, inputs, targets, training):
        fake = self.generator(inputs, training=training)
        real_view = self._discriminator_view(inputs, targets, REAL)
        fake_view = self._discriminator_view(inputs, fake, FAKE)
        real_logits = self.discriminator(list(real_view), training=training)
        fake_logits = self.discriminator(list(fake_view), training=training)
        d_loss = self.d_loss(1.0, real_logits) + self.d_loss(0.0, fake_logits)
        g_gan = self.g_loss(1.0, fake_logits)
        l1 = self.l1(targets, fake)
        g_loss = g_gan + self.l1_weight * l1
        return real_view, fake_view, (d_loss, g_loss, g_gan, l1, real_logits, fake_logits)

    def train_step(self, data):
        inputs, targets = self.unpack(data, self.BATCH, second_required=True)
        with tf.GradientTape() as g_tape, tf.GradientTape() as d_tape:
            real_view, fake_view, losses = self._forward(inputs, targets, training=True)
        d_loss, g_loss, g_gan, l1, real_logits, fake_logits = losses
        d_loss, g_loss = self.joint_update(
            d_tape, g_tape, d_loss, g_loss,
            lambda x, training=True: self.discriminator([real_view[0], x], training=training),
            real_view[1], fake_view[1])
        self.step.assign_add(1)
        return self._log_step(d_loss, g_loss, g_gan, l1, real_logits, fake_logits)

    def test_step(self, data):
        inputs, targets = self.unpack(data, self.BATCH, second_required=True)
        return self._log_step(*self._forward(inputs, targets, training=False)[2])

    def _log_step(self, d_loss, g_loss, g_gan, l1, real_logits, fake_logits):
        return self.log({"d_loss": d_loss, "g_loss": g_loss, "g_gan_loss": g_gan,
                         "l1_loss": l1},
                        {"real_score": ops.mean(ops.cast(real_logits, "float32")),
                         "fake_score": ops.mean(ops.cast(fake_logits, "float32"))})

    # ------------------------------------------------------------------ inference

    def translate(self, inputs, batch_size=16, training=False):
        """Translates input images with the (EMA, when on) generator.

        Args:
            inputs: array `(n, h, w, c)` in [-1, 1].
            batch_size: images per generator call.
            training: run dropout (and batch statistics) as in training, the paper's
                test-time setting. Default False.

        Returns:
            A float32 numpy array of generated images in [-1, 1].
        """
        return predict_in_batches(self.sampling_network("generator"),
                                  np.asarray(inputs, dtype="float32"), batch_size, training)

    def sample(self, n=16, seed=0, inputs=None):
        """Translations of the first `n` of `inputs` (held-out inputs, for sample grids).

        Returns:
            A float32 array `(min(n, len(inputs)), h, w, c)` in [-1, 1].
        """
        del seed
        if inputs is None:
            raise ValueError("Pix2Pix samples by translating inputs: pass `inputs`, a batch "
                             "of held-out input images in [-1, 1]. Received: inputs=None")
        return self.translate(np.asarray(inputs)[:n])
