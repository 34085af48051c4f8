"""Exponential moving averages of network weights, expressed as half-lives in images."""

import numpy as np
from keras import ops


def ema_decay_for_half_life(half_life_images, batch_size):
    """EMA decay whose weights halve in `half_life_images` images (Karras et al. 2020).

    `β = 0.5 ** (batch_size / half_life_images)`; StyleGAN2-ADA uses a half-life of 10k
    images (`ema_kimg = 10`), i.e. β ≈ 0.99778 at batch size 32.
    """
    if half_life_images <= 0 or batch_size <= 0:
        raise ValueError("`half_life_images` and `batch_size` must be positive. Received: "
                         f"half_life_images={half_life_images}, batch_size={batch_size}")
    return float(0.5 ** (batch_size / half_life_images))


def ema_half_life(ema_decay, batch_size):
    """The half-life in images of an EMA with decay `β`: `batch_size · ln 0.5 / ln β`."""
    return float(batch_size * np.log(0.5) / np.log(ema_decay))


def update_ema(average_model, model, decay):
    """`θ_avg ← β·θ_avg + (1 - β)·θ` for trainable weights; other weights (batch-norm
    statistics) are copied."""
    trainable = {id(v) for v in model.trainable_variables}
    for average, weight in zip(average_model.weights, model.weights):
        if id(weight) in trainable:
            average.assign(decay * average + (1.0 - decay) * ops.cast(weight, average.dtype))
        else:
            average.assign(weight)
