"""Attribute vectors: directions in latent space between two labelled sets of samples."""

import numpy as np

from tfgan.utils.images import save_grid


def attribute_vector(latents, labels):
    """The mean latent of the positive set minus the mean latent of the negative set.

        v = mean{zᵢ : labelᵢ} − mean{zᵢ : not labelᵢ}

    (the "smile vector" of White 2016; Radford et al. 2016 average a few latents per
    concept the same way). Moving a latent along it, z + αv, adds the attribute.

    Args:
        latents: `(n, d)` latents.
        labels: `(n,)` booleans (or 0/1): True marks the set that has the attribute.

    Returns:
        A float32 vector `(d,)`.
    """
    latents = np.asarray(latents, dtype="float64")
    labels = np.asarray(labels).astype(bool)
    if latents.ndim != 2 or labels.shape != (latents.shape[0],):
        raise ValueError("`latents` must be (n, d) and `labels` (n,). Received: "
                         f"latents.shape={latents.shape}, labels.shape={labels.shape}")
    if labels.all() or not labels.any():
        raise ValueError("Both labelled sets must be non-empty. Received: labels with "
                         f"{int(labels.sum())} positives out of {labels.size}")
    return (latents[labels].mean(axis=0) - latents[~labels].mean(axis=0)).astype("float32")


def attribute_vector_from_samples(model, label_fn, num_samples=1000, seed=0,
                                  batch_size=256):
    """Labels a GAN's samples with `label_fn` and returns their attribute vector.

    Args:
        model: a tfgan GAN.
        label_fn: maps a batch of images in [-1, 1] to booleans (e.g. a classifier's
            "is a 7" decision).
        num_samples: samples drawn from `model.sample_latents(num_samples, seed)`.
        seed: seed of the latents.
        batch_size: images per call.

    Returns:
        `(vector, latents, labels)`.
    """
    latents = model.sample_latents(int(num_samples), seed)
    labels = np.concatenate([
        np.asarray(label_fn(model.generate(latents=latents[i:i + batch_size]))).astype(bool)
        .reshape(-1) for i in range(0, len(latents), batch_size)])
    return attribute_vector(latents, labels), latents, labels


def apply_attribute(latents, vector, alphas):
    """`z + α·v` for every latent (rows) and every α (columns).

    Returns:
        A float32 array `(len(latents) · len(alphas), d)`, latent-major.
    """
    latents = np.atleast_2d(np.asarray(latents, dtype="float32"))
    vector = np.asarray(vector, dtype="float32")
    alphas = np.asarray(alphas, dtype="float32").reshape(-1)
    if vector.shape != (latents.shape[1],):
        raise ValueError(f"`vector` must have shape ({latents.shape[1]},), the latent size. "
                         f"Received: vector.shape={vector.shape}")
    out = latents[:, None, :] + alphas[None, :, None] * vector[None, None, :]
    return out.reshape(-1, latents.shape[1])


def attribute_grid(model, vector, alphas=(-2, -1, 0, 1, 2), num_rows=4, seed=0,
                   latents=None, path=None):
    """Images of `z + α·v`: one row per latent, one column per α.

    Args:
        model: a tfgan GAN.
        vector: the attribute vector `(d,)`.
        alphas: the multiples of `vector` (columns).
        num_rows: latents drawn from `model.sample_latents(num_rows, seed)` when `latents`
            is None.
        seed: seed of those latents.
        latents: explicit `(rows, d)` latents.
        path: if given, also write the grid as a PNG there.

    Returns:
        Images `(rows · len(alphas), h, w, c)` in [-1, 1], row by row.
    """
    if latents is None:
        latents = model.sample_latents(int(num_rows), seed)
    latents = np.atleast_2d(latents)
    images = model.generate(latents=apply_attribute(latents, vector, alphas))
    if path is not None:
        save_grid(images, path, rows=len(latents))
    return images
