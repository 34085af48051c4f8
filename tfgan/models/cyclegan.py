"""CycleGAN: unpaired image-to-image translation with cycle consistency (Zhu et al. 2017)."""

import keras
import numpy as np
import tensorflow as tf
from keras import ops

from tfgan.layers.image_pool import ImagePool
from tfgan.models.base import FAKE
from tfgan.models.base import REAL
from tfgan.models.base import AdversarialModel
from tfgan.utils.batching import predict_in_batches
from tfgan.utils.validation import check_non_negative

_DIRECTIONS = ("a_to_b", "b_to_a")


@keras.saving.register_keras_serializable(package="tfgan")
class CycleGAN(AdversarialModel):
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

    Stabilizers (`compile(stabilizers=...)`) act on both discriminators: transforms of D's
    inputs apply to what `D_A` and `D_B` see (in their updates and in the generators'),
    penalties regularize each D (their logs average over the two).

    Metrics: `g_loss` (generators' total), `d_loss` (both discriminators), `adversarial_loss`
    (unweighted), `cycle_loss` and `identity_loss` (unweighted L1s), `d_a_loss`, `d_b_loss`,
    and what stabilizers log.

    Args:
        generator_ab: `G`, a Keras model translating A images to B.
        generator_ba: `F`, translating B to A.
        discriminator_a: `D_A`, logits for A images (e.g. a PatchGAN map).
        discriminator_b: `D_B`, logits for B images.
        pool_size: images in each history pool. Default 50 (Zhu et al. 2017); 0 disables.
        seed: seed of the pools' draws and the stabilizers' noise.
        ema_decay: EMA of both generators' weights (`ema_generator_ab`,
            `ema_generator_ba`), used by `translate` and export; see
            `tfgan.models.AdversarialModel`. Default None.
        **kwargs: passed to `keras.Model`.
    """

    GENERATORS = ("generator_ab", "generator_ba")
    DISCRIMINATORS = ("discriminator_a", "discriminator_b")
    COMPILE_ARGS = ("cycle_weight", "identity_weight", "adversarial_weight")
    BATCH = ("a", "b")
    IMAGE_ELEMENTS = (0, 1)

    def __init__(self, generator_ab, generator_ba, discriminator_a, discriminator_b,
                 pool_size=50, seed=0, ema_decay=None, **kwargs):
        super().__init__(seed=seed, ema_decay=ema_decay, **kwargs)
        self._set_networks(generator_ab=generator_ab, generator_ba=generator_ba,
                           discriminator_a=discriminator_a, discriminator_b=discriminator_b)
        self.pool_size = int(pool_size)
        shape_a = self._image_shape(generator_ba, "generator_ba")
        shape_b = self._image_shape(generator_ab, "generator_ab")
        self.pool_a = ImagePool(pool_size, shape_a, seed=self.seed, name="pool_a")
        self.pool_b = ImagePool(pool_size, shape_b, seed=self.seed + 1, name="pool_b")
        self.l1 = keras.losses.MeanAbsoluteError()
        self._add_trackers("g_loss", "d_loss", "adversarial_loss", "cycle_loss",
                           "identity_loss", "d_a_loss", "d_b_loss")
        self._init_state()

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
            **kwargs: `g_loss`, `d_loss`, `stabilizers` and `keras.Model.compile`
                arguments (see `AdversarialModel.compile`).
        """
        if adversarial_weight is None:
            adversarial_weight = 2.0 if loss in ("least_squares", "lsgan") else 1.0
        self.cycle_weight = check_non_negative("cycle_weight", cycle_weight)
        self.identity_weight = check_non_negative("identity_weight", identity_weight)
        self.adversarial_weight = check_non_negative("adversarial_weight", adversarial_weight)
        super().compile(g_optimizer=g_optimizer, d_optimizer=d_optimizer, loss=loss, **kwargs)

    def _judge(self, discriminator, images, which, kind, training):
        """D's logits on `images` as D sees them (after the input transforms); D_A is
        call index 0, D_B index 1."""
        return discriminator(self.transform_for_discriminator(images, which, kind),
                             training=training)

    def _generator_losses(self, a, b, training):
        fake_b = self.generator_ab(a, training=training)
        fake_a = self.generator_ba(b, training=training)
        cycled_a = self.generator_ba(fake_b, training=training)
        cycled_b = self.generator_ab(fake_a, training=training)
        adversarial = (
            self.g_loss(1.0, self._judge(self.discriminator_b, fake_b, 1, FAKE, training))
            + self.g_loss(1.0, self._judge(self.discriminator_a, fake_a, 0, FAKE, training)))
        cycle = self.l1(a, cycled_a) + self.l1(b, cycled_b)
        identity = ops.zeros((), "float32")
        if self.identity_weight:
            identity = (self.l1(b, self.generator_ab(b, training=training))
                        + self.l1(a, self.generator_ba(a, training=training)))
        total = (self.adversarial_weight * adversarial + self.cycle_weight * cycle
                 + self.identity_weight * self.cycle_weight * identity)
        return total, adversarial, cycle, identity, fake_a, fake_b

    def _discriminator_losses(self, a, b, fake_a, fake_b, training):
        """`(d_a, d_b, regularization)`: each D's loss and, when training, the sum of
        the discriminator regularizers of both."""
        def half(discriminator, real, fake, which):
            real = self.transform_for_discriminator(real, which, REAL)
            fake = self.transform_for_discriminator(fake, which, FAKE)
            loss = 0.5 * (self.d_loss(1.0, discriminator(real, training=training))
                          + self.d_loss(0.0, discriminator(fake, training=training)))
            regularization = 0.0
            if training:
                regularization = self.discriminator_regularization(
                    lambda x, training=True: discriminator(x, training=training), real, fake,
                    which)
            return loss, regularization
        d_a, regularization_a = half(self.discriminator_a, a, fake_a, 0)
        d_b, regularization_b = half(self.discriminator_b, b, fake_b, 1)
        return d_a, d_b, regularization_a + regularization_b

    def train_step(self, data):
        a, b = self.unpack(data, self.BATCH, second_required=True)
        with tf.GradientTape() as g_tape:
            g_total, adversarial, cycle, identity, fake_a, fake_b = self._generator_losses(
                a, b, training=True)
        self.apply_update("generator", g_tape, g_total)
        # D sees a mix of the newest fakes and the history pool (no gradient to G).
        pooled_a = self.pool_a(fake_a, step=self.step)
        pooled_b = self.pool_b(fake_b, step=self.step)
        with tf.GradientTape() as d_tape:
            d_a, d_b, regularization = self._discriminator_losses(a, b, pooled_a, pooled_b,
                                                                  training=True)
            d_total = d_a + d_b + regularization
        self.apply_update("discriminator", d_tape, d_total)
        self.step.assign_add(1)
        return self._log_step(g_total, adversarial, cycle, identity, d_a, d_b)

    def test_step(self, data):
        a, b = self.unpack(data, self.BATCH, second_required=True)
        g_total, adversarial, cycle, identity, fake_a, fake_b = self._generator_losses(
            a, b, training=False)
        d_a, d_b, _ = self._discriminator_losses(a, b, fake_a, fake_b, training=False)
        return self._log_step(g_total, adversarial, cycle, identity, d_a, d_b)

    def _log_step(self, g_total, adversarial, cycle, identity, d_a, d_b):
        return self.log({"g_loss": g_total, "d_loss": d_a + d_b,
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
        generator = self.sampling_network(
            "generator_ab" if direction == "a_to_b" else "generator_ba")
        return predict_in_batches(generator, np.asarray(images, dtype="float32"), batch_size)

    def sample(self, n=16, seed=0, inputs=None):
        """A → B translations of the first `n` of `inputs` (held-out A images, for sample
        grids)."""
        del seed
        if inputs is None:
            raise ValueError("CycleGAN samples by translating inputs: pass `inputs`, a batch "
                             "of held-out domain-A images in [-1, 1]. Received: inputs=None")
        return self.translate(np.asarray(inputs)[:n])

    def get_config(self):
        config = super().get_config()
        config["pool_size"] = self.pool_size
        return config
