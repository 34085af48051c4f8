"""Animated GIFs of latent walks."""

import io

import numpy as np
from PIL import Image

from tfgan.latent.interpolation import interpolation_path
from tfgan.utils.io import atomic_write_bytes
from tfgan.utils.images import to_uint8
from tfgan.utils.validation import check_positive_int


def save_gif(frames, path, duration_ms=80, loop=0, scale=1):
    """Writes frames `(n, h, w, c)` (floats in [-1, 1] or uint8) as an animated GIF.

    Grey images are stored exactly (≤ 256 levels); RGB frames are quantized to a
    256-colour palette per frame by Pillow.

    Args:
        frames: the frames.
        path: the output file.
        duration_ms: display time of each frame.
        loop: number of repetitions; 0 loops forever.
        scale: integer upscaling factor (nearest neighbour) for small images.

    Returns:
        The path written.
    """
    frames = np.asarray(frames)
    if frames.ndim == 3:
        frames = frames[..., None]
    if frames.ndim != 4 or len(frames) == 0 or frames.shape[-1] not in (1, 3):
        raise ValueError("`frames` must be (n, height, width, 1 or 3) with n >= 1. "
                         f"Received: frames.shape={frames.shape}")
    check_positive_int("scale", scale)
    if frames.dtype != np.uint8:
        frames = to_uint8(frames)
    frames = frames.repeat(int(scale), axis=1).repeat(int(scale), axis=2)
    images = [Image.fromarray(f[..., 0] if f.shape[-1] == 1 else f) for f in frames]
    buffer = io.BytesIO()
    images[0].save(buffer, format="GIF", save_all=True, append_images=images[1:],
                   duration=int(duration_ms), loop=int(loop), optimize=False)
    return atomic_write_bytes(path, buffer.getvalue())


def save_interpolation_gif(model, path, num_keyframes=4, steps_per_segment=16,
                           method="slerp", seed=0, duration_ms=80, scale=1):
    """A looping GIF of a GAN's images along a closed latent path through random keyframes.

    Args:
        model: a tfgan GAN (`sample_latents`, `generate`).
        path: the output file.
        num_keyframes: random latents the path visits (from `model.sample_latents(., seed)`).
        steps_per_segment: frames between consecutive keyframes.
        method: `"slerp"` (default) or `"linear"`.
        seed: seed of the keyframes.
        duration_ms, scale: as for `save_gif`.

    Returns:
        The frames written, in [-1, 1].
    """
    keyframes = model.sample_latents(int(num_keyframes), seed)
    frames = model.generate(latents=interpolation_path(keyframes, steps_per_segment, method,
                                                       closed=True))
    save_gif(frames, path, duration_ms=duration_ms, scale=scale)
    return frames
