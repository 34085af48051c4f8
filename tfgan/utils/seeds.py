"""Stateless random streams: the same numbers eagerly, in graph mode and after a resume."""

import tensorflow as tf


def stateless_seed(seed, *folds):
    """An int64 stateless-RNG key `(2,)` from `seed` with integers folded in, in order."""
    key = tf.constant([seed, 0], dtype=tf.int64)
    for value in folds:
        key = tf.random.experimental.stateless_fold_in(key, tf.cast(value, tf.int64))
    return key


def stateless_latents(batch_size, latent_dim, seed, *folds):
    """Standard-normal latents from a stateless seed with extra integers folded in.

    Args:
        batch_size: number of latent vectors.
        latent_dim: size of each vector.
        seed: an int.
        *folds: ints or scalar integer tensors folded into the seed in order (step, call
            index, replica id, ...).

    Returns:
        A float32 tensor of shape `(batch_size, latent_dim)`, identical for identical
        arguments, eagerly and in graph mode.
    """
    key = stateless_seed(seed, *folds)
    return tf.random.stateless_normal((batch_size, latent_dim), seed=key, dtype="float32")
