import math

import keras
import numpy as np
import pytest

from tfgan import losses

LOGITS = np.array([[-2.0], [0.0], [1.5]], dtype="float32")


def softplus(x):
    return np.log1p(np.exp(x))


# Hand-computed per-sample values for target 1 and target 0 on LOGITS, averaged.
EXPECTED = {
    "non_saturating": (np.mean(softplus(-LOGITS)), np.mean(softplus(LOGITS))),
    "saturating": (-np.mean(softplus(LOGITS)), -np.mean(softplus(-LOGITS))),
    "least_squares": (np.mean(0.5 * (LOGITS - 1) ** 2), np.mean(0.5 * LOGITS ** 2)),
    "wasserstein": (np.mean(-LOGITS), np.mean(LOGITS)),
    "hinge": (np.mean(np.maximum(0, 1 - LOGITS)), np.mean(np.maximum(0, 1 + LOGITS))),
}


@pytest.mark.parametrize("name", sorted(EXPECTED))
def test_values_on_fixed_logits(name):
    loss = losses.get(name)
    real, fake = EXPECTED[name]
    np.testing.assert_allclose(float(loss(1.0, LOGITS)), real, rtol=1e-6)
    np.testing.assert_allclose(float(loss(0.0, LOGITS)), fake, rtol=1e-6)


def test_golden_constants():
    # Hand-checkable: softplus(0) = log 2; hinge at 0 is 1; LS at 0 vs target 1 is 1/2.
    zero = np.zeros((4, 1), "float32")
    assert float(losses.NonSaturatingLoss()(1.0, zero)) == pytest.approx(math.log(2))
    assert float(losses.HingeLoss()(0.0, zero)) == pytest.approx(1.0)
    assert float(losses.LeastSquaresLoss()(1.0, zero)) == pytest.approx(0.5)
    assert float(losses.WassersteinLoss()(1.0, np.full((4, 1), 3.0, "float32"))) == -3.0


def test_minimax_value_at_optimal_discriminator_is_minus_log_4():
    # With p_g = p_data the optimal discriminator is D*(x) = 1/2, i.e. logit 0, and
    # V(D*, G) = E log D*(x) + E log(1 - D*(G(z))) = -log 4.
    d_loss, g_loss = losses.get_pair("minimax")
    logits = np.zeros((8, 1), "float32")
    value = -(float(d_loss(1.0, logits)) + float(d_loss(0.0, logits)))
    assert value == pytest.approx(-math.log(4.0), abs=1e-6)
    # The saturating generator minimizes E log(1 - D(G(z))) = -log 2 there.
    assert float(g_loss(1.0, logits)) == pytest.approx(-math.log(2.0), abs=1e-6)


def test_one_sided_label_smoothing_changes_only_real_targets():
    smoothed = losses.NonSaturatingLoss(label_smoothing=0.1)
    plain = losses.NonSaturatingLoss()
    expected_real = np.mean(0.9 * softplus(-LOGITS) + 0.1 * softplus(LOGITS))
    np.testing.assert_allclose(float(smoothed(1.0, LOGITS)), expected_real, rtol=1e-6)
    np.testing.assert_allclose(float(smoothed(0.0, LOGITS)), float(plain(0.0, LOGITS)))
    np.testing.assert_allclose(
        float(losses.LeastSquaresLoss(label_smoothing=0.2)(1.0, LOGITS)),
        np.mean(0.5 * (LOGITS - 0.8) ** 2), rtol=1e-6)


def test_patch_logits_are_averaged_per_sample():
    patches = np.arange(2 * 3 * 3 * 1, dtype="float32").reshape(2, 3, 3, 1) / 10
    per_sample = losses.wasserstein(1.0, patches)
    np.testing.assert_allclose(per_sample, -patches.reshape(2, -1).mean(axis=1), rtol=1e-6)


@pytest.mark.parametrize("cls, kwargs", [
    (losses.NonSaturatingLoss, {"label_smoothing": 0.2}),
    (losses.SaturatingLoss, {}),
    (losses.LeastSquaresLoss, {"label_smoothing": 0.2}),
    (losses.WassersteinLoss, {}),
    (losses.HingeLoss, {}),
])
def test_serialization_round_trip(cls, kwargs):
    loss = cls(**kwargs)
    restored = losses.deserialize(losses.serialize(loss))
    assert type(restored) is cls
    assert restored.get_config() == loss.get_config()
    np.testing.assert_allclose(float(restored(1.0, LOGITS)), float(loss(1.0, LOGITS)))


def test_usable_as_a_keras_compile_loss():
    model = keras.Sequential([keras.Input((2,)), keras.layers.Dense(1)])
    model.compile(optimizer="sgd", loss=losses.HingeLoss(), run_eagerly=True)
    history = model.fit(np.ones((4, 2)), np.ones((4, 1)), epochs=1, verbose=0)
    assert np.isfinite(history.history["loss"][0])


def test_registry_errors_name_the_bad_value():
    with pytest.raises(ValueError, match="Received: identifier='nope'"):
        losses.get("nope")
    with pytest.raises(ValueError, match="Received: loss='nope'"):
        losses.get_pair("nope")
    with pytest.raises(TypeError, match="Received: identifier=3"):
        losses.get(3)
    with pytest.raises(ValueError, match="label_smoothing=1.0"):
        losses.NonSaturatingLoss(label_smoothing=1.0)


def test_pairs():
    d, g = losses.get_pair("hinge")
    assert isinstance(d, losses.HingeLoss) and isinstance(g, losses.WassersteinLoss)
    d, g = losses.get_pair("minimax")
    assert isinstance(d, losses.NonSaturatingLoss) and isinstance(g, losses.SaturatingLoss)
