import numpy as np
import pytest
import scipy.stats

from tfgan.metrics import inception_score


def test_confident_uniform_classifier_scores_number_of_classes():
    probabilities = np.eye(7)[np.arange(700) % 7]
    mean, std = inception_score(probabilities, splits=10)
    assert mean == pytest.approx(7.0, rel=1e-12) and std == pytest.approx(0.0, abs=1e-12)


def test_constant_classifier_scores_one():
    probabilities = np.tile([0.1, 0.6, 0.3], (50, 1))
    assert inception_score(probabilities, splits=5)[0] == pytest.approx(1.0, rel=1e-12)


def test_matches_scipy_entropy_per_split():
    p = np.random.default_rng(0).dirichlet(np.ones(5) * 0.3, size=60)
    expected = [np.exp(np.mean(scipy.stats.entropy(part.T, part.mean(0)[:, None])))
                for part in np.array_split(p, 3)]
    mean, std = inception_score(p, splits=3)
    assert mean == pytest.approx(np.mean(expected), rel=1e-10)
    assert std == pytest.approx(np.std(expected), rel=1e-10)


def test_errors():
    with pytest.raises(ValueError, match="sum to 1"):
        inception_score(np.ones((4, 3)))
    with pytest.raises(ValueError, match="splits=5"):
        inception_score(np.eye(4), splits=5)
