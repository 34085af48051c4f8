"""CycleGAN: unpaired image-to-image translation with cycle consistency (Zhu et al. 2017)."""

import keras
import numpy as np
import tensorflow as tf
from keras import ops

from tfgan.layers.image_pool import ImagePool
from tfgan.models._image_to_image import ImageToImageModel

_DIRECTIONS = ("a_to_b", "b_to_a")


@keras.saving.register_keras_serializable(package="tfgan")
class CycleGAN(ImageToImageModel):
    """CycleGAN (Zhu et al. 2017): two generators `G: A → B`, `F: B → A`, two discriminators.

    With `D_A` judging domain A and `D_B` domain B, one `train_step` computes, from one
    forward pass of both generators:

    - adversarial: `w · [g_loss(1, D_B(G(a))) + g_loss(1, D_A(F(b)))]` (least squares by
      default, the paper's; `w = 2` makes tfgan's `½·(l - 1)²` the paper's `(D(G(x)) - 1)²`);
    - cycle consistency: `λ · (|F(G(a)) - a|₁ + |G(F(b)) - b|₁)`, λ = 10;
    - identity: `λ_id · λ · (|G(b) - b|₁ + |F(a) - a|₁)`, λ_id = 0.5;

    the generators minimize their sum with one optimizer (as in the authors' code), and the
    discriminators minimize `½·[d_loss(1, D(real)) + d_loss(0, D(pool(fake)))]` each, on
    fakes drawn from a 50-image history pool per discriminator (`tfgan.layers.ImagePool`).
    Under `tf.distribute` each replica keeps its own pool of its own fakes (the pool's
    mirrored variables are updated per device; a checkpoint holds the first replica's).
    The paper's linear decay of the learning rate in the second half is an optimizer
    schedule: `tfgan.utils.LinearDecay`.

    Data: `fit` takes `(a, b)` batches of unpaired images in [-1, 1]
    (`tfgan.datasets.unpaired_dataset`).

    Metrics: `g_loss` (generators' total), `d_loss` (both discriminators), `adversarial_loss`
    (unweighted), `cycle_loss` and `identity_loss` (unweighted L1s), `d_a_loss`, `d_b_loss`.

    Args:
        generator_ab: `G`, a Keras model translating A images to B.
        generator_ba: `F`, translating B to A.
        discriminator_a: `D_A`, logits for A images (e.g. a PatchGAN map).
        discriminator_b: `D_B`, logits for B images.
        pool_size: images in each history pool. Default 50 (Zhu et al. 2017); 0 disables.
        seed: seed of the pools' draws.
        **kwargs: passed to `keras.Model`.
    """

    NETWORKS = ("generator_ab", "generator_ba", "discriminator_a", "discriminator_b")
    BATCH = ("a", "b")

    def __init__(self, generator_ab, generator_ba, discriminator_a, discriminator_b,
                 pool_size=50, seed=0, **kwargs):
        super().__init__(**kwargs)
        self._check_networks(generator_ab=generator_ab, generator_ba=generator_ba,
                             discriminator_a=discriminator_a, discriminator_b=discriminator_b)
        self.pool_size = int(pool_size)
        self.seed = int(seed)
        shape_a = self._image_shape(generator_ba, "generator_ba")
        shape_b = self._image_shape(generator_ab, "generator_ab")
        self.pool_a = ImagePool(pool_size, shape_a, seed=self.seed, name="pool_a")
        self.pool_b = ImagePool(pool_size, shape_b, seed=self.seed + 1, name="pool_b")
        self.step = self.add_weight(shape=(), dtype="int64", initializer="zeros",
                                    trainable=False, name="step",
                                    aggregation="only_first_replica")
        self.l1 = keras.losses.MeanAbsoluteError()
        names = ("g_loss", "d_loss", "adversarial_loss", "cycle_loss", "identity_loss",
                 "d_a_loss", "d_b_loss")
        self._loss_trackers = {name: keras.metrics.Mean(name=name) for name in names}
        self.built = True

    @staticmethod
    def _image_shape(generator, arg):
        outputs = getattr(generator, "outputs", None)
        if not outputs:
            raise ValueError(f"`{arg}` must be a built functional model with a known output "
                             f"shape. Received: {arg}={generator.name!r}")
        shape = tuple(outputs[0].shape[1:])
        if any(d is None for d in shape):
            raise ValueError(f"`{arg}` must have a fully known output shape (the history "
                             f"pool stores images). Received: output shape={shape}")
        return shape

    @property
    def metrics(self):
        return list(self._loss_trackers.values())

    @property
    def generator_variables(self):
        return self.generator_ab.trainable_variables + self.generator_ba.trainable_variables

    @property
    def discriminator_variables(self):
        return (self.discriminator_a.trainable_variables
                + self.discriminator_b.trainable_variables)

    # ------------------------------------------------------------------ compile

    def compile(self, g_optimizer=None, d_optimizer=None, loss="least_squares",
                cycle_weight=10.0, identity_weight=0.5, adversarial_weight=None, **kwargs):
        """Configures training.

        Args:
            g_optimizer: optimizer of both generators; `None` is Adam(2e-4, β1 = 0.5) (the
                paper's). For the paper's schedule pass
                `keras.optimizers.Adam(tfgan.utils.LinearDecay(2e-4, n, n), beta_1=0.5)`.
            d_optimizer: optimizer of both discriminators; same default.
            loss: GAN formulation for `tfgan.losses.get_pair`; default `"least_squares"`
                (Mao et al. 2017, the paper's).
            cycle_weight: λ of the cycle-consistency L1. Default 10.
            identity_weight: λ_id, the identity loss weight relative to λ. Default 0.5
                (weight 0.5·λ; Zhu et al. 2017). 0 disables it (and skips its forward pass).
            adversarial_weight: `w`, the weight of the generators' adversarial terms. `None`
                (default): 2 for `"least_squares"`, 1 otherwise. The paper's generator
                minimizes `(D(G(x)) - 1)² + λ·cycle + 0.5·λ·identity` (Zhu et al. 2017,
                eq. 3 with the least-squares objective of section 4; the authors' `MSELoss`);
                tfgan's least-squares loss is Mao et al.'s `½·(l - t)²`, so `w = 2` keeps the
                paper's balance against the L1 terms.
            **kwargs: passed to `keras.Model.compile`.
        """
        if adversarial_weight is None:
            adversarial_weight = 2.0 if loss in ("least_squares", "lsgan") else 1.0
        self._compile(g_optimizer, d_optimizer, loss,
                      {"cycle_weight": cycle_weight, "identity_weight": identity_weight,
                       "adversarial_weight": adversarial_weight},
                      kwargs)

    def _generator_losses(self, a, b, training):
        fake_b = self.generator_ab(a, training=training)
        fake_a = self.generator_ba(b, training=training)
        cycled_a = self.generator_ba(fake_b, training=training)
        cycled_b = self.generator_ab(fake_a, training=training)
        adversarial = (self.g_loss(1.0, self.discriminator_b(fake_b, training=training))
                       + self.g_loss(1.0, self.discriminator_a(fake_a, training=training)))
        cycle = self.l1(a, cycled_a) + self.l1(b, cycled_b)
        identity = ops.zeros((), "float32")
        if self.identity_weight:
            identity = (self.l1(b, self.generator_ab(b, training=training))
                        + self.l1(a, self.generator_ba(a, training=training)))
        total = (self.adversarial_weight * adversarial + self.cycle_weight * cycle
                 + self.identity_weight * self.cycle_weight * identity)
        return total, adversarial, cycle, identity, fake_a, fake_b

    def _discriminator_losses(self, a, b, fake_a, fake_b, training):
        def half(discriminator, real, fake):
            return 0.5 * (self.d_loss(1.0, discriminator(real, training=training))
                          + self.d_loss(0.0, discriminator(fake, training=training)))
        d_a = half(self.discriminator_a, a, fake_a)
        d_b = half(self.discriminator_b, b, fake_b)
        return d_a, d_b

    def train_step(self, data):
        a, b = self._unpack(data)
        with tf.GradientTape() as g_tape:
            g_total, adversarial, cycle, identity, fake_a, fake_b = self._generator_losses(
                a, b, training=True)
            scaled = self.g_optimizer.scale_loss(g_total)
        g_vars = self.generator_variables
        self.g_optimizer.apply_gradients(zip(g_tape.gradient(scaled, g_vars), g_vars))
        # D sees a mix of the newest fakes and the history pool (no gradient to G).
        pooled_a = self.pool_a(fake_a, step=self.step)
        pooled_b = self.pool_b(fake_b, step=self.step)
        with tf.GradientTape() as d_tape:
            d_a, d_b = self._discriminator_losses(a, b, pooled_a, pooled_b, training=True)
            scaled = self.d_optimizer.scale_loss(d_a + d_b)
        d_vars = self.discriminator_variables
        self.d_optimizer.apply_gradients(zip(d_tape.gradient(scaled, d_vars), d_vars))
        self.step.assign_add(1)
        return self._update_metrics(g_total, adversarial, cycle, identity, d_a, d_b)

    def test_step(self, data):
        a, b = self._unpack(data)
        g_total, adversarial, cycle, identity, fake_a, fake_b = self._generator_losses(
            a, b, training=False)
        d_a, d_b = self._discriminator_losses(a, b, fake_a, fake_b, training=False)
        return self._update_metrics(g_total, adversarial, cycle, identity, d_a, d_b)

    def _update_metrics(self, g_total, adversarial, cycle, identity, d_a, d_b):
        return self._log({"g_loss": g_total, "d_loss": d_a + d_b,
                          "adversarial_loss": adversarial, "cycle_loss": cycle,
                          "identity_loss": identity, "d_a_loss": d_a, "d_b_loss": d_b})

    # ------------------------------------------------------------------ inference

    def translate(self, images, direction="a_to_b", batch_size=16):
        """Translates images in inference mode.

        Args:
            images: array `(n, h, w, c)` in [-1, 1].
            direction: `"a_to_b"` (G) or `"b_to_a"` (F).
            batch_size: images per generator call.

        Returns:
            A float32 numpy array of translated images in [-1, 1].
        """
        if direction not in _DIRECTIONS:
            raise ValueError(f"`direction` must be one of {_DIRECTIONS}. "
                             f"Received: direction={direction!r}")
        generator = self.generator_ab if direction == "a_to_b" else self.generator_ba
        images = np.asarray(images, dtype="float32")
        return np.concatenate([
            np.asarray(generator(images[i:i + batch_size], training=False))
            for i in range(0, len(images), batch_size)
        ], axis=0)

    def get_config(self):
        config = super().get_config()
        config.update({"pool_size": self.pool_size, "seed": self.seed})
        return config
