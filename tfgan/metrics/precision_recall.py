"""Improved precision and recall with k-nearest-neighbour manifolds."""

import numpy as np


def _squared_distances(a, b):
    d = (a * a).sum(1)[:, None] + (b * b).sum(1)[None, :] - 2.0 * (a @ b.T)
    return np.maximum(d, 0.0)


def knn_radii(features, k=3, batch_size=1024):
    """Squared distance of each row to its k-th nearest other row."""
    radii = np.empty(features.shape[0])
    for start in range(0, features.shape[0], batch_size):
        d = _squared_distances(features[start:start + batch_size], features)
        # index k: the 0th smallest is the point itself.
        radii[start:start + batch_size] = np.partition(d, k, axis=1)[:, k]
    return radii


def manifold_coverage(manifold, radii, queries, batch_size=1024):
    """Fraction of `queries` inside at least one ball (centre in `manifold`, squared radius)."""
    inside = 0
    for start in range(0, queries.shape[0], batch_size):
        d = _squared_distances(queries[start:start + batch_size], manifold)
        inside += int(np.any(d <= radii[None, :], axis=1).sum())
    return inside / queries.shape[0]


def precision_recall(real_features, fake_features, k=3, batch_size=1024):
    """Improved precision and recall (Kynkäänniemi et al. 2019).

    Each set's manifold is the union of balls around its points, with radius the distance
    to the k-th nearest neighbour in the same set (k = 3, the paper's choice).
    Precision = fraction of fake points inside the real manifold (fidelity);
    recall = fraction of real points inside the fake manifold (coverage).

    Args:
        real_features, fake_features: `(n, d)` arrays (need more than k rows each).
        k: neighbourhood size.
        batch_size: rows per distance block (memory is `batch_size × n` floats).

    Returns:
        `(precision, recall)` as Python floats in [0, 1].
    """
    real = np.asarray(real_features, dtype="float64")
    fake = np.asarray(fake_features, dtype="float64")
    if real.ndim != 2 or fake.ndim != 2 or real.shape[1] != fake.shape[1]:
        raise ValueError("`real_features` and `fake_features` must be 2-D with equal feature "
                         f"sizes. Received: shapes {real.shape} and {fake.shape}")
    if int(k) < 1 or min(real.shape[0], fake.shape[0]) <= int(k):
        raise ValueError(f"`k` must be positive and smaller than both sample counts. "
                         f"Received: k={k}, sizes {real.shape[0]} and {fake.shape[0]}")
    precision = manifold_coverage(real, knn_radii(real, k, batch_size), fake, batch_size)
    recall = manifold_coverage(fake, knn_radii(fake, k, batch_size), real, batch_size)
    return precision, recall
