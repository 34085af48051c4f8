"""Pixel k-means clusters: recovery of planted clusters, pooling, dataset labelling."""

import numpy as np
import pytest
import tensorflow as tf

from tfgan.datasets import fit_clusters
from tfgan.datasets import from_arrays
from tfgan.datasets import kmeans
from tfgan.datasets import with_clusters
from tfgan.datasets.clusters import pool_factor


def _planted(n_per=40, size=8):
    """Three clusters of noisy images: dark, bright top half, bright left half."""
    rng = np.random.RandomState(0)
    base = np.full((3, size, size, 1), -0.8, "float32")
    base[1, : size // 2] = 0.8
    base[2, :, : size // 2] = 0.8
    images = np.concatenate([b + rng.normal(0, 0.1, (n_per, size, size, 1)) for b in base])
    return np.clip(images, -1, 1).astype("float32"), np.repeat(np.arange(3), n_per)


def _agreement(found, truth):
    """Share of points whose found cluster's majority truth label is their own."""
    hits = sum(np.bincount(truth[found == c]).max() for c in np.unique(found))
    return hits / len(truth)


def test_kmeans_recovers_planted_clusters_and_is_seeded():
    images, truth = _planted()
    points = images.reshape(len(images), -1)
    centers, assignments = kmeans(points, 3, seed=0)
    assert centers.shape == (3, 64) and assignments.dtype == np.int32
    assert _agreement(assignments, truth) == 1.0
    np.testing.assert_array_equal(kmeans(points, 3, seed=0)[1], assignments)


def test_kmeans_stops_once_no_point_changes_cluster(monkeypatch):
    from tfgan.datasets import clusters

    images, _ = _planted()
    points = images.reshape(len(images), -1)
    calls = []
    distances = clusters._squared_distances
    monkeypatch.setattr(clusters, "_squared_distances",
                        lambda *args: calls.append(1) or distances(*args))
    _, assignments = kmeans(points, 3, iterations=30, seed=0)
    assert len(calls) <= 5  # planted clusters settle within a few of the 30 iterations
    monkeypatch.undo()
    np.testing.assert_array_equal(kmeans(points, 3, iterations=2, seed=0)[1], assignments)


def test_kmeans_refuses_fewer_points_than_clusters():
    with pytest.raises(ValueError, match="at least num_clusters=5"):
        kmeans(np.zeros((4, 2)), 5)


def test_more_clusters_than_distinct_points_leaves_no_nan_centre():
    # Two distinct points, three clusters: a centre must coincide with another and its
    # cluster empties; it restarts on a data point instead of becoming 0/0.
    points = np.array([[0.0, 0.0]] * 4 + [[1.0, 1.0]])
    for seed in range(3):
        centers, assignments = kmeans(points, 3, seed=seed)
        assert np.isfinite(centers).all()
        assert set(np.unique(assignments)) <= {0, 1, 2} and len(np.unique(assignments)) == 2


def test_pool_factor_brings_images_to_at_most_16_pixels():
    assert [pool_factor(s) for s in (8, 16, 28, 32, 64, 128)] == [1, 1, 2, 2, 4, 8]


def test_fit_on_a_dataset_and_label_its_batches():
    images, truth = _planted(size=32)
    dataset = from_arrays(images, truth, batch_size=20, shuffle=False)
    clusters = fit_clusters(dataset, 3, max_images=100)
    assert clusters.factor == 2 and clusters.centers.shape == (3, 16 * 16)
    assert clusters.counts.sum() == 100
    np.testing.assert_allclose(clusters.shares.sum(), 1.0)
    labelled = with_clusters(dataset, clusters)
    found = np.concatenate([labels.numpy() for _, labels in labelled])
    assert found.dtype == np.int32 and _agreement(found, truth) == 1.0
    # The assignment is a TF op: it also runs inside a traced function.
    graph = tf.function(clusters.assign)
    np.testing.assert_array_equal(graph(tf.constant(images[:20])).numpy(), found[:20])


def test_images_of_another_size_are_refused():
    images, _ = _planted(size=8)
    clusters = fit_clusters(images, 3)
    with pytest.raises(ValueError, match="64 pooled values"):
        clusters.assign(np.zeros((2, 16, 16, 1), "float32"))
    with pytest.raises(ValueError, match="at least num_clusters=3"):
        fit_clusters(images[:2], 3)
