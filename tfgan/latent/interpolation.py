"""Latent interpolation, linear and spherical (in Z) and linear in a StyleGAN's W, and grids."""

import numpy as np

from tfgan.utils.images import save_grid

METHODS = ("linear", "slerp")


def _pair(z0, z1):
    z0 = np.asarray(z0, dtype="float64")
    z1 = np.asarray(z1, dtype="float64")
    if z0.ndim != 1 or z0.shape != z1.shape:
        raise ValueError("`z0` and `z1` must be vectors of the same size. "
                         f"Received: z0.shape={z0.shape}, z1.shape={z1.shape}")
    return z0, z1


def lerp(z0, z1, t):
    """Linear interpolation `(1 − t)·z0 + t·z1` for each `t`; returns `(len(t), d)`."""
    z0, z1 = _pair(z0, z1)
    t = np.atleast_1d(np.asarray(t, dtype="float64"))[:, None]
    return ((1.0 - t) * z0 + t * z1).astype("float32")


def slerp(z0, z1, t):
    """Spherical linear interpolation (Shoemake 1985) for each `t`; returns `(len(t), d)`.

        slerp(z0, z1; t) = sin((1 − t)Ω)/sin Ω · z0 + sin(tΩ)/sin Ω · z1,
        Ω = arccos(z0·z1 / (‖z0‖‖z1‖)).

    High-dimensional Gaussian latents concentrate near a sphere; a straight line between
    two of them passes through low-norm latents the generator never saw in training,
    which slerp avoids (White 2016, "Sampling Generative Networks"). For (anti)parallel
    vectors (sin Ω ≈ 0) it falls back to linear interpolation.
    """
    z0, z1 = _pair(z0, z1)
    t = np.atleast_1d(np.asarray(t, dtype="float64"))[:, None]
    norms = np.linalg.norm(z0) * np.linalg.norm(z1)
    cos = np.clip(z0 @ z1 / norms, -1.0, 1.0) if norms > 0 else 1.0
    omega = np.arccos(cos)
    if np.sin(omega) < 1e-6:
        return lerp(z0, z1, t[:, 0])
    weights0 = np.sin((1.0 - t) * omega) / np.sin(omega)
    weights1 = np.sin(t * omega) / np.sin(omega)
    return (weights0 * z0 + weights1 * z1).astype("float32")


def interpolate(z0, z1, steps=8, method="slerp", endpoint=True):
    """`steps` latents from `z0` to `z1` (`endpoint=False` leaves `z1` out).

    Args:
        z0, z1: latent vectors `(d,)`.
        steps: number of latents.
        method: `"slerp"` (default) or `"linear"`.
        endpoint: include `z1`.

    Returns:
        A float32 array `(steps, d)`.
    """
    if method not in METHODS:
        raise ValueError(f"`method` must be one of {METHODS}. Received: method={method!r}")
    if int(steps) < 2:
        raise ValueError(f"`steps` must be at least 2. Received: steps={steps}")
    t = np.linspace(0.0, 1.0, int(steps), endpoint=endpoint)
    return (slerp if method == "slerp" else lerp)(z0, z1, t)


def interpolation_path(keyframes, steps_per_segment=16, method="slerp", closed=True):
    """Latents through a sequence of keyframes (for animations).

    Args:
        keyframes: `(k, d)` latents, k ≥ 2.
        steps_per_segment: latents per segment between consecutive keyframes.
        method: `"slerp"` or `"linear"`.
        closed: also return from the last keyframe to the first (a seamless loop).

    Returns:
        A float32 array `(segments · steps_per_segment, d)`; each segment starts at its
        keyframe and stops one step before the next (an open path ends on the last one).
    """
    keyframes = np.asarray(keyframes, dtype="float32")
    if keyframes.ndim != 2 or len(keyframes) < 2:
        raise ValueError("`keyframes` must be (k, latent_dim) with k >= 2. "
                         f"Received: keyframes.shape={keyframes.shape}")
    stops = list(keyframes) + ([keyframes[0]] if closed else [])
    path = [interpolate(a, b, steps_per_segment, method, endpoint=False)
            for a, b in zip(stops[:-1], stops[1:])]
    if not closed:
        path.append(keyframes[-1:])
    return np.concatenate(path, axis=0)


def interpolation_latents(model, num_rows=4, steps=8, method="slerp", seed=0):
    """Rows of latents, each interpolating between two of `model.sample_latents`."""
    ends = model.sample_latents(2 * int(num_rows), seed)
    return np.concatenate([interpolate(ends[2 * r], ends[2 * r + 1], steps, method)
                           for r in range(int(num_rows))], axis=0)


SPACES = ("z", "w")


def w_interpolation(model, z0, z1, steps=8, truncation_psi=1.0, endpoint=True):
    """Styles along the straight line in `W` between the styles of `z0` and `z1`.

    `W` is (approximately) disentangled and not Gaussian, so StyleGAN interpolates there
    linearly (lerp), as its perceptual path length in `W` does (Karras et al. 2019,
    section 4.1), where `Z` calls for slerp (`tfgan.latent.slerp`).

    Args:
        model: a `tfgan.StyleGAN` (`map_latents`).
        z0, z1: latent vectors `(latent_dim,)`.
        steps: number of styles.
        truncation_psi: ψ applied to both ends.
        endpoint: include the styles of `z1`.

    Returns:
        A float32 array `(steps, num_ws, w_dim)` for `model.synthesize`.
    """
    ends = model.map_latents(np.stack([np.asarray(z0, "float32"), np.asarray(z1, "float32")]),
                             truncation_psi)
    line = interpolate(ends[0].ravel(), ends[1].ravel(), steps, "linear", endpoint)
    return line.reshape(-1, *ends.shape[1:])


def interpolation_grid(model, num_rows=4, steps=8, method="slerp", seed=0, path=None,
                       space="z"):
    """Images along `num_rows` interpolations between random latents of a GAN.

    Args:
        model: a tfgan GAN (`sample_latents`, `generate`; the EMA generator when present).
        num_rows: number of interpolations (grid rows).
        steps: images per row.
        method: `"slerp"` (default) or `"linear"`, in `Z`.
        seed: seed of the end points.
        path: if given, also write the grid as a PNG there.
        space: `"z"` (default) interpolates the latents; `"w"` interpolates a
            `tfgan.StyleGAN`'s styles linearly (`tfgan.latent.w_interpolation`;
            `method` is not used).

    Returns:
        The images `(num_rows · steps, h, w, c)` in [-1, 1], row by row.
    """
    if space not in SPACES:
        raise ValueError(f"`space` must be one of {SPACES}. Received: space={space!r}")
    if space == "w":
        ends = model.sample_latents(2 * int(num_rows), seed)
        images = model.synthesize(np.concatenate([
            w_interpolation(model, ends[2 * r], ends[2 * r + 1], steps)
            for r in range(int(num_rows))]))
    else:
        latents = interpolation_latents(model, num_rows, steps, method, seed)
        images = model.generate(latents=latents)
    if path is not None:
        save_grid(images, path, rows=int(num_rows))
    return images
