"""2D Gaussian mixtures for mode-coverage experiments (PacGAN / VEEGAN protocol).

- `ring_of_gaussians()`: 8 Gaussians on the unit circle at angles `2πk/8`, k = 0..7,
  σ = 0.01 (Srivastava et al. 2017, VEEGAN; Lin et al. 2018, PacGAN). The angles are
  `2πk/K` for `k in range(K)`: `np.linspace(0, 2π, K)` would put the first and last mode
  on the same point and give K - 1 modes.
- `grid_of_gaussians()`: 25 Gaussians at `{-4, -2, 0, 2, 4}²`, σ = 0.05.

Each is a `GaussianMixture` with uniform weights; `mixture_dataset` streams it as a
`tf.data.Dataset`. Score generated samples with `tfgan.metrics.mode_coverage`.
"""

import numpy as np
import tensorflow as tf


class GaussianMixture:
    """An isotropic Gaussian mixture with uniform weights.

    Args:
        means: array `(modes, dim)`.
        std: the common standard deviation σ of every component.
        name: a short name (`"ring8"`, `"grid25"`).
    """

    def __init__(self, means, std, name="mixture"):
        means = np.asarray(means, dtype="float64")
        if means.ndim != 2 or len(means) < 1:
            raise ValueError(f"`means` must have shape (modes, dim). "
                             f"Received: means.shape={means.shape}")
        if not float(std) > 0:
            raise ValueError(f"`std` must be positive. Received: std={std}")
        self.means = means
        self.std = float(std)
        self.name = name

    @property
    def num_modes(self):
        return len(self.means)

    def sample(self, n, seed=0):
        """`n` float32 samples `(n, dim)` and their component indices `(n,)`, seeded."""
        rng = np.random.default_rng(seed)
        components = rng.integers(0, self.num_modes, size=int(n))
        points = self.means[components] + self.std * rng.normal(size=(int(n), self.means.shape[1]))
        return points.astype("float32"), components

    def __repr__(self):
        return f"GaussianMixture(name={self.name!r}, modes={self.num_modes}, std={self.std})"


def ring_of_gaussians(num_modes=8, radius=1.0, std=0.01):
    """Ring of `num_modes` Gaussians at angles `2πk/num_modes` (k = 0..num_modes-1).

    Defaults: 8 modes on the unit circle, σ = 0.01 (PacGAN / VEEGAN).
    """
    if int(num_modes) < 1:
        raise ValueError(f"`num_modes` must be a positive integer. Received: num_modes={num_modes}")
    angles = 2.0 * np.pi * np.arange(int(num_modes)) / int(num_modes)
    means = radius * np.stack([np.cos(angles), np.sin(angles)], axis=1)
    return GaussianMixture(means, std, name=f"ring{int(num_modes)}")


def grid_of_gaussians(values=(-4.0, -2.0, 0.0, 2.0, 4.0), std=0.05):
    """Grid of Gaussians at `values × values`. Defaults: 25 modes at `{-4,-2,0,2,4}²`, σ = 0.05."""
    values = np.asarray(values, dtype="float64")
    xs, ys = np.meshgrid(values, values, indexing="ij")
    means = np.stack([xs.ravel(), ys.ravel()], axis=1)
    return GaussianMixture(means, std, name=f"grid{len(means)}")


def mixture_dataset(mixture, batch_size, seed=0, buffer=None):
    """An infinite, seeded `tf.data.Dataset` of float32 batches `(batch_size, dim)`.

    Draws fresh samples forever from a `GaussianMixture` (or `"ring8"` / `"grid25"`),
    deterministic given `seed`. Pass `steps_per_epoch` to `fit`.
    """
    if isinstance(mixture, str):
        factories = {"ring8": ring_of_gaussians, "grid25": grid_of_gaussians}
        if mixture not in factories:
            raise ValueError(f"Unknown mixture. Expected one of {sorted(factories)} or a "
                             f"GaussianMixture. Received: mixture={mixture!r}")
        mixture = factories[mixture]()
    means = tf.constant(mixture.means, "float32")
    dim = mixture.means.shape[1]

    def draw(step):
        key = tf.random.experimental.stateless_fold_in(tf.constant([seed, 7], tf.int64), step)
        k1 = tf.random.experimental.stateless_fold_in(key, 0)
        k2 = tf.random.experimental.stateless_fold_in(key, 1)
        components = tf.random.stateless_uniform((batch_size,), k1, 0, mixture.num_modes,
                                                 dtype=tf.int32)
        noise = tf.random.stateless_normal((batch_size, dim), k2)
        return tf.gather(means, components) + mixture.std * noise

    return tf.data.Dataset.counter().map(draw)
