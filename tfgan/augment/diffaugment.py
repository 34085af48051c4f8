"""Differentiable augmentation (Zhao et al. 2020, DiffAugment), optionally with ADA's
adaptive probability (Karras et al. 2020)."""

import keras
import tensorflow as tf
from keras import ops

from tfgan.utils import distribute
from tfgan.utils.validation import check_positive_int

_POLICIES = ("color", "translation", "cutout")
# Stream keys of `_uniform`: the transforms use 0-6, the per-image masks 7 + policy index.
_MASK_KEY = 7


def _uniform(shape, seed, k, generator):
    """U(0, 1) from a stateless seed (folded with `k`) or from a Keras SeedGenerator."""
    if seed is None:
        return keras.random.uniform(shape, seed=generator)
    key = tf.random.experimental.stateless_fold_in(tf.cast(seed, tf.int64), k)
    return tf.random.stateless_uniform(shape, seed=key)


def _randint(shape, low, high, seed, k, generator):
    """Integers in [low, high) from `_uniform`."""
    value = low + ops.floor(_uniform(shape, seed, k, generator) * (high - low))
    return ops.cast(ops.minimum(value, high - 1), "int32")


def color(images, seed=None, generator=None):
    """Random brightness (+U(-0.5, 0.5)), saturation (×U(0, 2)), contrast (×U(0.5, 1.5))."""
    batch = ops.shape(images)[0]
    shape = (batch, 1, 1, 1)
    x = images + (_uniform(shape, seed, 0, generator) - 0.5)
    mean = ops.mean(x, axis=-1, keepdims=True)
    x = (x - mean) * (_uniform(shape, seed, 1, generator) * 2.0) + mean
    mean = ops.mean(x, axis=(1, 2, 3), keepdims=True)
    return (x - mean) * (_uniform(shape, seed, 2, generator) + 0.5) + mean


def translation(images, ratio=0.125, seed=None, generator=None):
    """Shifts each image by integers in [-r·size, r·size] on each axis, zero padded."""
    batch = ops.shape(images)[0]
    height, width = int(images.shape[1]), int(images.shape[2])
    shift_h, shift_w = int(height * ratio + 0.5), int(width * ratio + 0.5)
    dy = _randint((batch, 1, 1), -shift_h, shift_h + 1, seed, 3, generator)
    dx = _randint((batch, 1, 1), -shift_w, shift_w + 1, seed, 4, generator)
    rows = ops.arange(height, dtype="int32")[None, :, None] - dy  # source row of output
    cols = ops.arange(width, dtype="int32")[None, None, :] - dx
    valid = ((rows >= 0) & (rows < height) & (cols >= 0) & (cols < width))
    rows = ops.clip(rows, 0, height - 1)
    cols = ops.clip(cols, 0, width - 1)
    rows, cols = ops.broadcast_to(rows, (batch, height, width)), ops.broadcast_to(
        cols, (batch, height, width))
    index = ops.broadcast_to(ops.arange(batch, dtype="int32")[:, None, None],
                             (batch, height, width))
    gathered = tf.gather_nd(images, ops.stack([index, rows, cols], axis=-1))
    return gathered * ops.cast(valid, images.dtype)[..., None]


def cutout(images, ratio=0.5, seed=None, generator=None):
    """Zeroes one square of side `ratio·size` at a random centre in each image."""
    batch = ops.shape(images)[0]
    height, width = int(images.shape[1]), int(images.shape[2])
    size_h, size_w = int(height * ratio + 0.5), int(width * ratio + 0.5)
    cy = _randint((batch, 1, 1), 0, height + (1 - size_h % 2), seed, 5, generator)
    cx = _randint((batch, 1, 1), 0, width + (1 - size_w % 2), seed, 6, generator)
    top, left = cy - size_h // 2, cx - size_w // 2
    rows = ops.arange(height, dtype="int32")[None, :, None]
    cols = ops.arange(width, dtype="int32")[None, None, :]
    inside = (rows >= top) & (rows < top + size_h) & (cols >= left) & (cols < left + size_w)
    return images * (1.0 - ops.cast(inside, images.dtype))[..., None]


@keras.saving.register_keras_serializable(package="tfgan")
class DiffAugment(keras.layers.Layer):
    """DiffAugment (Zhao et al. 2020): differentiable augmentation of real and fake images.

    Applies the same family of random transformations to the images D sees, real and
    generated, in both the discriminator and the generator updates; every transformation is
    differentiable in the pixels, so the generator's gradient flows through it. With 10-20%
    of the data this keeps D from overfitting. Pass it to `compile(stabilizers=[DiffAugment()])` of any tfgan model.

    Transforms (the paper's `color,translation,cutout` policy, defaults from its code):
    color (brightness + U(-0.5, 0.5), saturation × U(0, 2), contrast × U(0.5, 1.5)),
    translation by up to 1/8 of the size with zero padding, and cutout of a square of half
    the size. For fixed random draws each transform is affine in the pixels.

    With `probability < 1` each transform is applied to each image independently with that
    probability (ADA's `p`, Karras et al. 2020). With a `target`, `p` adapts as in ADA: it
    starts at `probability`, and every `interval` discriminator updates it moves by
    `sign(r_t - target) · n / adjust_images`, where `n` is the number of real images D saw
    in them and `r_t = E[sign(D(real))]` over those images, D's logits on the augmented
    real batch. A D sure of every real image (overfitting) drives `p` up, a D near chance
    drives it down: ADA's intent is that a large dataset gets little augmentation and a
    small one much, which holds only for a `target` above what D reaches on real images
    it has not memorised (see `target`).
    Adaptive mode needs a model that reports D's real logits (`GAN` and its subclasses);
    it logs `augment_p` (the epoch's mean `p`).

    Inputs: `(batch, height, width, channels)` images in [-1, 1].

    Args:
        policy: comma-separated subset of `"color"`, `"translation"`, `"cutout"`.
            Default `"color,translation,cutout"`.
        translation_ratio: maximal shift as a fraction of the size. Default 0.125.
        cutout_ratio: side of the cut square as a fraction of the size. Default 0.5.
        probability: chance, in [0, 1], that each transform is applied to an image; with
            a `target`, the starting `p`. Default `None`: 1.0 with a fixed probability
            (DiffAugment: always), 0.0 with a `target` (ADA starts without augmentation).
        target: ADA's target for `r_t`, in (0, 1), or `None` for a fixed `probability`.
            ADA's value is 0.6, for StyleGAN2's discriminator; a DCGAN discriminator is
            sure of most real images without memorising them, and at 0.6 raised `p` on
            10,000 CIFAR-10 images as on 600 photos, where 0.9 kept it near 0 on the
            former (`benchmarks/RESULTS.md`).
        adjust_images: real images over which `p` can move from 0 to 1. Default 100,000:
            the value of ADA's code for runs that must react fast (its 500,000 serves runs
            of 25M images; tfgan's preset runs see 0.1-1M).
        interval: discriminator updates between two adjustments of `p`. Default 4 (ADA).
        seed: seed of the layer's own generator, used when `call` gets no `seed`.
        **kwargs: passed to `keras.layers.Layer`.

    Call arguments:
        images: the batch.
        training: `False` returns the images unchanged; otherwise augments.
        seed: optional int64 tensor `(2,)` for stateless draws (what `GAN` passes).
    """

    # A stabilizer of the "discriminator_input" hook (tfgan.stabilizers).
    hook = "discriminator_input"
    needs_real = False

    def __init__(self, policy="color,translation,cutout", translation_ratio=0.125,
                 cutout_ratio=0.5, probability=None, target=None, adjust_images=100_000,
                 interval=4, seed=None, **kwargs):
        super().__init__(**kwargs)
        parts = [p.strip() for p in policy.split(",") if p.strip()]
        unknown = [p for p in parts if p not in _POLICIES]
        if unknown or not parts:
            raise ValueError(f"`policy` must be a comma-separated subset of {_POLICIES}. "
                             f"Received: policy={policy!r}")
        if probability is None:
            probability = 1.0 if target is None else 0.0
        if not 0.0 <= float(probability) <= 1.0:
            raise ValueError(f"`probability` must be in [0, 1]. "
                             f"Received: probability={probability!r}")
        if target is not None and not 0.0 < float(target) < 1.0:
            raise ValueError(f"`target` must be in (0, 1) or None. Received: target={target!r}")
        self.policy = ",".join(parts)
        self.translation_ratio = float(translation_ratio)
        self.cutout_ratio = float(cutout_ratio)
        self.probability = float(probability)
        self.target = None if target is None else float(target)
        self.adjust_images = check_positive_int("adjust_images", adjust_images)
        self.interval = check_positive_int("interval", interval)
        self.seed = seed
        self.seed_generator = keras.random.SeedGenerator(seed)
        if self.adaptive:
            # ADA's state, saved with the model; every replica holds the same values
            # (`observe` all-reduces what it counts).
            state = {"shape": (), "trainable": False, "aggregation": "only_first_replica"}
            self.p = self.add_weight(initializer=keras.initializers.Constant(
                self.probability), name="p", **state)
            self._sign_sum = self.add_weight(initializer="zeros", name="sign_sum", **state)
            self._seen = self.add_weight(initializer="zeros", name="seen", **state)
            self._pending = self.add_weight(initializer="zeros", name="pending", **state)
        else:
            self.p = self.probability
        self.built = True  # all state is made here, none depends on the input shape

    @property
    def adaptive(self):
        """Whether `p` follows D (a `target` was given)."""
        return self.target is not None

    @property
    def metric_names(self):
        """`("augment_p",)` in adaptive mode (logged by the model), else none."""
        return ("augment_p",) if self.adaptive else ()

    def call(self, images, training=None, seed=None):
        if training is False:
            return images
        if len(images.shape) != 4:
            raise ValueError("DiffAugment takes images of shape (batch, height, width, "
                             f"channels). Received: images.shape={tuple(images.shape)}")
        x = images
        generator = self.seed_generator
        masked = self.adaptive or self.probability < 1.0
        for part in self.policy.split(","):
            if part == "color":
                augmented = color(x, seed, generator)
            elif part == "translation":
                augmented = translation(x, self.translation_ratio, seed, generator)
            else:
                augmented = cutout(x, self.cutout_ratio, seed, generator)
            if masked:
                draw = _uniform((ops.shape(x)[0], 1, 1, 1), seed,
                                _MASK_KEY + _POLICIES.index(part), generator)
                augmented = ops.where(draw < self.p, augmented, x)
            x = augmented
        return x

    def transform(self, images, seed, step):
        """The stabilizer hook: augments `images` with the stateless `seed`."""
        del step
        return self(images, seed=seed)

    def observe(self, real_logits):
        """ADA's controller: counts `sign(real_logits)` (D's adversarial logits on the
        augmented real images of one discriminator update, any shape) and, every
        `interval` calls, moves `p` (see the class docstring). The identity without a
        `target`.

        Returns:
            `{"augment_p": p}` after this update in adaptive mode, else `{}`.
        """
        if not self.adaptive:
            return {}
        logits = ops.cast(real_logits, "float32")
        signs, count = ops.sum(ops.sign(logits)), ops.cast(ops.size(logits), "float32")
        context = tf.distribute.get_replica_context()
        if context is not None and distribute.num_replicas() > 1:
            signs, count = context.all_reduce("sum", [signs, count])
        sign_sum, seen = self._sign_sum + signs, self._seen + count
        pending = self._pending + 1.0
        ready = pending >= self.interval
        r_t = sign_sum / seen
        moved = ops.clip(self.p + ops.sign(r_t - self.target) * seen / self.adjust_images,
                         0.0, 1.0)
        self.p.assign(ops.where(ready, moved, self.p))
        self._sign_sum.assign(ops.where(ready, 0.0, sign_sum))
        self._seen.assign(ops.where(ready, 0.0, seen))
        self._pending.assign(ops.where(ready, 0.0, pending))
        return {"augment_p": ops.convert_to_tensor(self.p)}

    def bind(self, model):
        """Any model can augment what its discriminators see; adaptive mode needs one
        that reports D's real logits."""
        if self.adaptive and not model.OBSERVES_REAL_LOGITS:
            raise ValueError(
                f"DiffAugment(target={self.target}) adapts to D's logits on real images, "
                f"which {type(model).__name__} does not report (GAN and its subclasses do). "
                "Use a fixed `probability` (target=None) with this model.")

    def compute_output_shape(self, input_shape):
        return input_shape

    def get_config(self):
        config = super().get_config()
        config.update({"policy": self.policy, "translation_ratio": self.translation_ratio,
                       "cutout_ratio": self.cutout_ratio, "probability": self.probability,
                       "target": self.target, "adjust_images": self.adjust_images,
                       "interval": self.interval, "seed": self.seed})
        return config
