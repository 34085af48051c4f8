import numpy as np
import pytest

from tfgan.metrics import precision_recall


def _line(points):
    return np.stack([np.asarray(points, dtype="float64"), np.zeros(len(points))], axis=1)


def test_constructed_point_clouds():
    # Real points 0..9 on a line: with k = 3 the end points' radius is 3, inner ones 2.
    # Fake points 0.5..4.5 fall inside the real manifold, 100..104 do not: precision 0.5.
    # The fake manifold (radii 3 at its ends, 2 inside) covers the real points 0..7 but
    # not 8 and 9 (4.5 + 3 = 7.5): recall 0.8.
    real = _line(np.arange(10))
    fake = _line([0.5, 1.5, 2.5, 3.5, 4.5, 100, 101, 102, 103, 104])
    precision, recall = precision_recall(real, fake, k=3)
    assert precision == pytest.approx(0.5) and recall == pytest.approx(0.8)


def test_identical_and_disjoint_sets():
    x = np.random.default_rng(0).normal(size=(50, 3))
    assert precision_recall(x, x) == (1.0, 1.0)
    assert precision_recall(x, x + 100.0) == (0.0, 0.0)


def test_block_size_does_not_change_the_result():
    rng = np.random.default_rng(1)
    real, fake = rng.normal(size=(60, 4)), rng.normal(size=(40, 4)) * 1.5
    assert precision_recall(real, fake, batch_size=7) == precision_recall(real, fake)


def test_errors():
    with pytest.raises(ValueError, match="k=3"):
        precision_recall(np.zeros((3, 2)), np.zeros((10, 2)))
