"""Pixel-space k-means clusters of a training set, as labels for self-conditioned GANs.

A class-conditional GAN learns much faster than an unconditional one (its discriminator
judges each image against its own class), but most image sets have no labels. Clustering
the images and conditioning on the cluster (self-conditioning, Liu et al. 2020; Sage et al.
2018) gives that advantage without labels: `fit_clusters` runs k-means on the images
average-pooled to at most 16x16, and `with_clusters` labels every batch of a dataset with
the nearest centre, so shuffling, repeating and augmenting keep working.
"""

import math

import numpy as np
import tensorflow as tf

from tfgan.utils.validation import check_positive_int

# Pooled side of the clustered images: 28x28 → 14x14, 32x32 → 16x16, 64x64 → 16x16.
_MAX_POOLED_SIZE = 16


def pool_factor(image_size):
    """The average-pooling factor that brings `image_size` to at most 16 pixels a side."""
    return max(1, math.ceil(int(image_size) / _MAX_POOLED_SIZE))


def _pooled(images, factor):
    images = tf.convert_to_tensor(images, "float32")
    if images.shape.rank != 4:
        raise ValueError(f"Clustering needs image batches (batch, height, width, channels). "
                         f"Received: shape {tuple(images.shape)}")
    if factor > 1:
        images = tf.nn.avg_pool2d(images, factor, factor, "VALID")
    return tf.reshape(images, [tf.shape(images)[0], -1])


def _squared_distances(points, centers):
    return (np.sum(points ** 2, axis=1)[:, None] - 2.0 * points @ centers.T
            + np.sum(centers ** 2, axis=1)[None])


def kmeans(points, num_clusters, iterations=30, seed=0):
    """k-means (Lloyd's iterations from a k-means++ start, Arthur & Vassilvitskii 2007).

    Stops early once no point changes cluster (more iterations would change nothing). An
    emptied cluster restarts at the point farthest from its centre.

    Args:
        points: float array `(n, d)`, `n >= num_clusters`.
        num_clusters: `k`.
        iterations: at most this many Lloyd iterations. Default 30.
        seed: seed of the k-means++ start.

    Returns:
        `(centers (k, d) float32, assignments (n,) int32)`.
    """
    points = np.asarray(points, "float64")
    k = check_positive_int("num_clusters", num_clusters)
    if points.ndim != 2 or len(points) < k:
        raise ValueError(f"k-means needs at least num_clusters={k} points of shape (n, d). "
                         f"Received: points of shape {points.shape}")
    rng = np.random.RandomState(seed)
    norms = np.sum(points ** 2, axis=1)

    def squared_distances_to(center):
        return np.maximum(norms - 2.0 * points @ center + center @ center, 0.0)

    centers = [points[rng.randint(len(points))]]
    closest = squared_distances_to(centers[0])
    for _ in range(1, k):
        total = closest.sum()
        index = rng.choice(len(points), p=closest / total) if total > 0 else rng.randint(
            len(points))
        centers.append(points[index])
        closest = np.minimum(closest, squared_distances_to(centers[-1]))
    centers = np.array(centers)
    rows = np.arange(len(points))
    assignments = None
    for _ in range(check_positive_int("iterations", iterations)):
        distances = _squared_distances(points, centers)
        previous, assignments = assignments, np.argmin(distances, axis=1)
        if previous is not None and np.array_equal(previous, assignments):
            break
        nearest = distances[rows, assignments]
        counts = np.bincount(assignments, minlength=k).astype("float64")
        order = np.argsort(assignments, kind="stable")
        sums = np.zeros_like(centers)
        used = np.flatnonzero(counts)
        sums[used] = np.add.reduceat(points[order], np.searchsorted(assignments[order], used))
        for j in np.flatnonzero(counts == 0):
            far = int(np.argmax(nearest))
            sums[j], counts[j], nearest[far] = points[far], 1.0, 0.0
        centers = sums / counts[:, None]
    assignments = np.argmin(_squared_distances(points, centers), axis=1)
    return centers.astype("float32"), assignments.astype("int32")


class PixelClusters:
    """k-means centres of pooled images, and the share of training images in each.

    Args:
        centers: float32 `(k, d)` centres in the pooled pixel space.
        counts: training images per cluster `(k,)`.
        factor: the average-pooling factor of the images.
    """

    def __init__(self, centers, counts, factor):
        self.centers = np.asarray(centers, "float32")
        self.counts = np.asarray(counts, "int64")
        self.factor = int(factor)

    @property
    def num_clusters(self):
        return len(self.centers)

    @property
    def shares(self):
        """The share of the clustered images in each cluster `(k,)`."""
        return self.counts / self.counts.sum()

    def assign(self, images):
        """The nearest cluster of each image: int32 `(batch,)` (a TF op: works in `map`).

        Raises:
            ValueError: images whose pooled size differs from the clustered ones'.
        """
        points = _pooled(images, self.factor)
        if points.shape[-1] is not None and points.shape[-1] != self.centers.shape[1]:
            raise ValueError(
                f"These clusters were fit on images of {self.centers.shape[1]} pooled values; "
                f"the images give {points.shape[-1]}. Received: images of shape "
                f"{tuple(images.shape)}")
        centers = tf.constant(self.centers)
        distances = (tf.reduce_sum(points ** 2, axis=1, keepdims=True)
                     - 2.0 * tf.matmul(points, centers, transpose_b=True)
                     + tf.reduce_sum(centers ** 2, axis=1)[None])
        return tf.argmin(distances, axis=1, output_type=tf.int32)


def fit_clusters(dataset, num_clusters, max_images=20_000, iterations=30, seed=0):
    """k-means clusters of the images of a dataset, average-pooled to at most 16x16.

    Args:
        dataset: a `tf.data.Dataset` of image batches (or `(images, labels)` batches,
            whose labels are ignored) in [-1, 1], e.g. from `tfgan.datasets`; or an array
            `(n, h, w, c)`. Not repeated: at most `max_images` are read.
        num_clusters: `k`. `tfgan`'s `dcgan-mnist` uses 100 (`benchmarks/RESULTS.md`).
        max_images: images read to fit the centres. Default 20,000.
        iterations: at most this many Lloyd iterations. Default 30.
        seed: seed of the k-means++ start.

    Returns:
        A `PixelClusters`.

    Raises:
        ValueError: for fewer images than clusters, or batches that are not images.
    """
    max_images = check_positive_int("max_images", max_images)
    if isinstance(dataset, tf.data.Dataset):
        batches, seen = [], 0
        for element in dataset:
            images = element[0] if isinstance(element, (tuple, list)) else element
            batches.append(np.asarray(images)[:max_images - seen])
            seen += len(batches[-1])
            if seen >= max_images:
                break
        images = np.concatenate(batches) if batches else np.zeros((0, 1, 1, 1), "float32")
    else:
        images = np.asarray(dataset, "float32")[:max_images]
    if images.ndim != 4:
        raise ValueError(f"Clustering needs images (n, height, width, channels). "
                         f"Received: shape {images.shape}")
    factor = pool_factor(images.shape[1])
    points = _pooled(images, factor).numpy()
    centers, assignments = kmeans(points, num_clusters, iterations, seed)
    counts = np.bincount(assignments, minlength=len(centers))
    return PixelClusters(centers, counts, factor)


def with_clusters(dataset, clusters):
    """`dataset`'s image batches as `(images, cluster)` batches (labels are replaced)."""
    def label(*element):
        images = element[0]
        return images, clusters.assign(images)

    return dataset.map(label, num_parallel_calls=tf.data.AUTOTUNE)
