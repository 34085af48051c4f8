"""The Inception Score (and the MNIST score with the shipped classifier)."""

import numpy as np


def inception_score(probabilities, splits=10):
    """IS = exp(E_x KL(p(y|x) ‖ p(y))), averaged over splits (Salimans et al. 2016).

    The samples are cut into `splits` equal parts (10 in the paper, over 50,000 images);
    in each, p(y) is the mean of the rows and the score is exp of the mean KL divergence.
    The score lies in [1, number of classes]: it equals the number of classes for a
    classifier that is perfectly confident and uses every class equally often, and 1 for
    one that gives every image the same distribution.

    Args:
        probabilities: `(n, num_classes)` class probabilities (rows sum to 1), e.g. the
            softmax of a classifier's logits.
        splits: number of splits (1 ≤ splits ≤ n).

    Returns:
        `(mean, std)` over the splits, as Python floats.
    """
    p = np.asarray(probabilities, dtype="float64")
    if p.ndim != 2 or np.any(p < 0) or not np.allclose(p.sum(axis=1), 1.0, atol=1e-4):
        raise ValueError("`probabilities` must be (n, num_classes) with non-negative rows "
                         f"that sum to 1. Received: array of shape {p.shape}")
    if not 1 <= int(splits) <= p.shape[0]:
        raise ValueError(f"`splits` must be between 1 and the number of samples "
                         f"({p.shape[0]}). Received: splits={splits}")
    scores = []
    for part in np.array_split(p, int(splits)):
        marginal = part.mean(axis=0, keepdims=True)
        with np.errstate(divide="ignore", invalid="ignore"):
            kl = np.where(part > 0, part * (np.log(part) - np.log(marginal)), 0.0)
        scores.append(np.exp(kl.sum(axis=1).mean()))
    return float(np.mean(scores)), float(np.std(scores))
