"""Streaming feature statistics (mean and covariance) accumulated in float64."""

import json
import pathlib

import keras
import numpy as np


def _as_features(features, dim=None):
    features = np.asarray(features, dtype="float64")
    if features.ndim != 2:
        raise ValueError(
            "`features` must be a 2-D array (num_samples, feature_dim). "
            f"Received: features.shape={features.shape}"
        )
    if dim is not None and features.shape[1] != dim:
        raise ValueError(
            f"`features` must have {dim} columns, like the features already accumulated. "
            f"Received: features.shape={features.shape}"
        )
    return features


@keras.saving.register_keras_serializable(package="tfgan")
class FeatureStatistics:
    """Mean and covariance of features, accumulated batch by batch in float64.

    Batches are merged with the pairwise update of Chan, Golub & LeVeque (1979): for a new
    batch with count `n_b`, mean `m_b` and scatter `M_b = Σ (x - m_b)(x - m_b)ᵀ`,

        n = n_a + n_b,  δ = m_b - m_a,  m = m_a + δ·n_b/n,
        M = M_a + M_b + δδᵀ·n_a·n_b/n,

    so any number of images passes through in fixed memory (O(d²)) and the result equals
    the one-shot `np.mean` / `np.cov` up to float64 rounding, without the cancellation of
    a raw sum of squares.

    Args:
        feature_dim: size of each feature vector. `None` takes it from the first batch.
        metadata: a JSON-serializable dict describing how the features were made (dataset,
            split, extractor, resolution, ...); saved with the statistics.
    """

    def __init__(self, feature_dim=None, metadata=None):
        self.feature_dim = None if feature_dim is None else int(feature_dim)
        self.metadata = dict(metadata or {})
        self.count = 0
        self._mean = None
        self._scatter = None
        if self.feature_dim is not None:
            self._reset(self.feature_dim)

    def _reset(self, dim):
        self.feature_dim = dim
        self._mean = np.zeros(dim, dtype="float64")
        self._scatter = np.zeros((dim, dim), dtype="float64")

    def update(self, features):
        """Adds a batch of features `(batch, feature_dim)`; returns `self`."""
        features = _as_features(features, self.feature_dim)
        if self._mean is None:
            self._reset(features.shape[1])
        n_b = features.shape[0]
        if n_b == 0:
            return self
        mean_b = features.mean(axis=0)
        centred = features - mean_b
        self._merge(n_b, mean_b, centred.T @ centred)
        return self

    def _merge(self, n_b, mean_b, scatter_b):
        n_a = self.count
        n = n_a + n_b
        delta = mean_b - self._mean
        self._mean = self._mean + delta * (n_b / n)
        self._scatter = self._scatter + scatter_b + np.outer(delta, delta) * (n_a * n_b / n)
        self.count = n

    def merge(self, other):
        """Adds the statistics of another `FeatureStatistics`; returns `self`."""
        if other.count == 0:
            return self
        if self._mean is None:
            self._reset(other.feature_dim)
        if other.feature_dim != self.feature_dim:
            raise ValueError(f"Cannot merge statistics of {other.feature_dim}-d features into "
                             f"{self.feature_dim}-d ones. Received: other.feature_dim="
                             f"{other.feature_dim}")
        self._merge(other.count, other._mean, other._scatter)
        return self

    @classmethod
    def from_features(cls, features, metadata=None):
        """Statistics of one array of features."""
        return cls(metadata=metadata).update(features)

    def _check_count(self, minimum):
        if self.count < minimum:
            raise ValueError(f"At least {minimum} feature vectors are needed. "
                             f"Received: count={self.count}")

    @property
    def mean(self):
        """The float64 mean vector `(feature_dim,)`."""
        self._check_count(1)
        return self._mean.copy()

    @property
    def covariance(self):
        """The unbiased float64 covariance `(feature_dim, feature_dim)` (divides by n - 1)."""
        self._check_count(2)
        return self._scatter / (self.count - 1)

    def save(self, path, **arrays):
        """Writes the statistics (and any extra named `arrays`) to an `.npz` file."""
        path = pathlib.Path(path)
        path.parent.mkdir(parents=True, exist_ok=True)
        tmp = path.with_name(path.name + ".tmp.npz")
        np.savez(tmp, mean=self.mean, scatter=self._scatter, count=self.count,
                 metadata=json.dumps(self.metadata, sort_keys=True), **arrays)
        tmp.replace(path)
        return path

    @classmethod
    def load(cls, path):
        """Reads statistics written by `save`."""
        with np.load(path) as data:
            stats = cls(feature_dim=data["mean"].shape[0],
                        metadata=json.loads(str(data["metadata"])))
            stats._mean = data["mean"].astype("float64")
            stats._scatter = data["scatter"].astype("float64")
            stats.count = int(data["count"])
        return stats

    def get_config(self):
        return {"feature_dim": self.feature_dim, "metadata": self.metadata}

    @classmethod
    def from_config(cls, config):
        return cls(**config)

    def __repr__(self):
        return (f"FeatureStatistics(count={self.count}, feature_dim={self.feature_dim}, "
                f"metadata={self.metadata})")
