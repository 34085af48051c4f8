"""Adversarial losses for GANs as Keras `Loss` objects.

Every loss is called as `loss(target, logits)` where `target` is 1 for "real" and 0 for "fake"
and `logits` are the discriminator's raw (pre-sigmoid) outputs. With this one convention:

- the discriminator minimizes `d_loss(1, D(x)) + d_loss(0, D(G(z)))`,
- the generator minimizes `g_loss(1, D(G(z)))`,

so stock Keras losses drop in, and the default `"sum_over_batch_size"` reduction scales the
loss by `1 / num_replicas_in_sync` under `tf.distribute` for free.

Each class wraps a pure per-sample function of the same name (`non_saturating`, ...), usable
outside Keras' `Loss` machinery.
"""

import keras
from keras import ops

_PACKAGE = "tfgan"


def _smooth(target, label_smoothing):
    """One-sided label smoothing: real targets 1 become `1 - label_smoothing`; 0 stays 0."""
    if label_smoothing:
        target = target * (1.0 - label_smoothing)
    return target


def _per_sample(values):
    """Averages everything but the batch axis (e.g. a PatchGAN's map of logits)."""
    if len(values.shape) > 1:
        return ops.mean(values, axis=tuple(range(1, len(values.shape))))
    return values


def _cast(target, logits):
    logits = ops.convert_to_tensor(logits)
    target = ops.cast(ops.broadcast_to(target, ops.shape(logits)), logits.dtype)
    return target, logits


def non_saturating(target, logits, label_smoothing=0.0):
    """Sigmoid cross-entropy of logits against `target` (1 = real), per sample.

    `-t·log σ(l) - (1 - t)·log(1 - σ(l))`, computed stably as
    `t·softplus(-l) + (1 - t)·softplus(l)`.
    """
    target, logits = _cast(target, logits)
    target = _smooth(target, label_smoothing)
    values = target * ops.softplus(-logits) + (1.0 - target) * ops.softplus(logits)
    return _per_sample(values)


def saturating(target, logits):
    """The original minimax generator loss, per sample: `-cross_entropy(1 - target, logits)`.

    For `target = 1` this is `log(1 - σ(l))`, which the generator minimizes.
    """
    target, logits = _cast(target, logits)
    return -non_saturating(1.0 - target, logits)


def least_squares(target, logits, label_smoothing=0.0):
    """Least-squares loss, per sample: `½·(l - t)²` (a = 0, b = c = 1 of Mao et al.)."""
    target, logits = _cast(target, logits)
    target = _smooth(target, label_smoothing)
    return _per_sample(0.5 * ops.square(logits - target))


def wasserstein(target, logits):
    """Wasserstein critic loss, per sample: `-l` for real (t = 1), `+l` for fake (t = 0)."""
    target, logits = _cast(target, logits)
    return _per_sample(-(2.0 * target - 1.0) * logits)


def hinge(target, logits):
    """Hinge loss, per sample: `relu(1 - l)` for real (t = 1), `relu(1 + l)` for fake (t = 0)."""
    target, logits = _cast(target, logits)
    return _per_sample(ops.relu(1.0 - (2.0 * target - 1.0) * logits))


class AdversarialLoss(keras.losses.Loss):
    """Base class: a Keras `Loss` around one of this module's per-sample functions.

    Args:
        reduction: Keras reduction; the default `"sum_over_batch_size"` averages over the
            global batch under `tf.distribute`.
        name: the loss name.
        dtype: the loss dtype; `None` uses Keras' float type.
    """

    fn = None

    def __init__(self, reduction="sum_over_batch_size", name=None, dtype=None):
        super().__init__(reduction=reduction, name=name, dtype=dtype)

    def call(self, y_true, y_pred):
        return type(self).fn(y_true, y_pred)


class _SmoothableLoss(AdversarialLoss):
    """An adversarial loss with one-sided label smoothing (Salimans et al. 2016)."""

    def __init__(self, label_smoothing=0.0, reduction="sum_over_batch_size", name=None,
                 dtype=None):
        if not 0.0 <= label_smoothing < 1.0:
            raise ValueError(
                "`label_smoothing` must be in [0, 1): the real target becomes "
                f"1 - label_smoothing. Received: label_smoothing={label_smoothing}"
            )
        super().__init__(reduction=reduction, name=name, dtype=dtype)
        self.label_smoothing = label_smoothing

    def call(self, y_true, y_pred):
        return type(self).fn(y_true, y_pred, label_smoothing=self.label_smoothing)

    def get_config(self):
        config = super().get_config()
        config["label_smoothing"] = self.label_smoothing
        return config


@keras.saving.register_keras_serializable(package=_PACKAGE)
class NonSaturatingLoss(_SmoothableLoss):
    """Sigmoid cross-entropy on logits (Goodfellow et al. 2014).

    `L(t, l) = -t·log σ(l) - (1 - t)·log(1 - σ(l))`.

    The discriminator loss of both the minimax and the non-saturating GAN, and the
    generator loss of the non-saturating GAN (`g_loss(1, D(G(z))) = -log σ(D(G(z)))`), which
    gives strong gradients early in training when D rejects every sample. This is the
    generator loss to use by default.

    Args:
        label_smoothing: one-sided label smoothing (Salimans et al. 2016): real targets
            become `1 - label_smoothing`, fake targets stay 0. Use it in the discriminator
            loss only; 0.1 is a common value. Default 0 (off).
        reduction, name, dtype: as for `keras.losses.Loss`.
    """

    fn = staticmethod(non_saturating)

    def __init__(self, label_smoothing=0.0, reduction="sum_over_batch_size",
                 name="non_saturating_loss", dtype=None):
        super().__init__(label_smoothing=label_smoothing, reduction=reduction, name=name,
                         dtype=dtype)


@keras.saving.register_keras_serializable(package=_PACKAGE)
class SaturatingLoss(AdversarialLoss):
    """The minimax generator loss of Goodfellow et al. 2014: `log(1 - σ(D(G(z))))`.

    `L(t, l) = -[t·softplus(l) + (1 - t)·softplus(-l)]`, minus the cross-entropy against the
    flipped target; for t = 1 it is `log(1 - σ(l))`. Paired with `NonSaturatingLoss` for D it is the exact zero-sum game whose value
    at the optimal discriminator with p_g = p_data is `-log 4`.

    Advice: it saturates (vanishing gradients) when D confidently rejects samples, which is
    early in training; prefer `NonSaturatingLoss` for the generator.
    """

    fn = staticmethod(saturating)

    def __init__(self, reduction="sum_over_batch_size", name="saturating_loss", dtype=None):
        super().__init__(reduction=reduction, name=name, dtype=dtype)


@keras.saving.register_keras_serializable(package=_PACKAGE)
class LeastSquaresLoss(_SmoothableLoss):
    """Least-squares GAN loss (Mao et al. 2017), with a = 0, b = c = 1.

    `L(t, l) = ½·(l - t)²`: D minimizes `½(D(x) - 1)² + ½D(G(z))²`, G minimizes
    `½(D(G(z)) - 1)²`. Used by CycleGAN; penalizes samples far from the decision boundary
    even when they are on the right side, which stabilizes training.

    Args:
        label_smoothing: one-sided label smoothing of the real target. Default 0 (off).
        reduction, name, dtype: as for `keras.losses.Loss`.
    """

    fn = staticmethod(least_squares)

    def __init__(self, label_smoothing=0.0, reduction="sum_over_batch_size",
                 name="least_squares_loss", dtype=None):
        super().__init__(label_smoothing=label_smoothing, reduction=reduction, name=name,
                         dtype=dtype)


@keras.saving.register_keras_serializable(package=_PACKAGE)
class WassersteinLoss(AdversarialLoss):
    """Wasserstein loss (Arjovsky et al. 2017).

    `L(t, l) = -(2t - 1)·l`: the critic minimizes `-D(x) + D(G(z))`, the generator
    `-D(G(z))`. The critic must be kept Lipschitz (weight clipping, a gradient penalty or
    spectral normalization), otherwise the loss is unbounded. Also the generator loss of the
    hinge GAN.
    """

    fn = staticmethod(wasserstein)

    def __init__(self, reduction="sum_over_batch_size", name="wasserstein_loss", dtype=None):
        super().__init__(reduction=reduction, name=name, dtype=dtype)


@keras.saving.register_keras_serializable(package=_PACKAGE)
class HingeLoss(AdversarialLoss):
    """Hinge discriminator loss (Lim & Ye 2017; Miyato et al. 2018).

    `L(t, l) = relu(1 - (2t - 1)·l)`: D minimizes `relu(1 - D(x)) + relu(1 + D(G(z)))`. The
    generator of a hinge GAN uses `WassersteinLoss` (`-D(G(z))`). The SNGAN and BigGAN
    default.
    """

    fn = staticmethod(hinge)

    def __init__(self, reduction="sum_over_batch_size", name="hinge_loss", dtype=None):
        super().__init__(reduction=reduction, name=name, dtype=dtype)
