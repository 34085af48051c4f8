"""Mode coverage of samples from a Gaussian mixture (PacGAN / VEEGAN protocol)."""

import numpy as np


def mode_coverage(samples, means, std, threshold=3.0):
    """Scores samples against the modes of a mixture (Srivastava et al. 2017; Lin et al. 2018).

    A sample is *high quality* when it lies within `threshold·σ` of its nearest mean; a
    mode is *captured* when at least one high-quality sample is nearest to it. The reverse
    KL compares the histogram `p` of high-quality samples over modes with the uniform
    target: `KL(p ‖ U) = Σ_k p_k·log(K·p_k)` (0 for perfect balance, `log K` when every
    high-quality sample is in one mode). The protocol scores 2,500 samples.

    Args:
        samples: array `(n, dim)`.
        means: array `(modes, dim)` (e.g. `ring_of_gaussians().means`).
        std: σ of the mixture's components.
        threshold: quality radius in σ. Default 3.

    Returns:
        A dict: `modes` (captured modes, int), `high_quality` (fraction of high-quality
        samples, in [0, 1]), `reverse_kl` (float; `inf` without high-quality samples) and
        `histogram` (high-quality samples per mode).
    """
    samples = np.asarray(samples, dtype="float64")
    means = np.asarray(means, dtype="float64")
    if samples.ndim != 2 or means.ndim != 2 or samples.shape[1] != means.shape[1]:
        raise ValueError("`samples` and `means` must be (n, dim) and (modes, dim). Received: "
                         f"samples.shape={samples.shape}, means.shape={means.shape}")
    distances = np.linalg.norm(samples[:, None, :] - means[None, :, :], axis=-1)
    nearest = np.argmin(distances, axis=1)
    good = distances[np.arange(len(samples)), nearest] <= threshold * std
    histogram = np.bincount(nearest[good], minlength=len(means))
    total = histogram.sum()
    if total == 0:
        reverse_kl = float("inf")
    else:
        p = histogram[histogram > 0] / total
        reverse_kl = float(np.sum(p * np.log(len(means) * p)))
    return {"modes": int(np.count_nonzero(histogram)),
            "high_quality": float(good.mean()) if len(samples) else 0.0,
            "reverse_kl": reverse_kl,
            "histogram": histogram}
