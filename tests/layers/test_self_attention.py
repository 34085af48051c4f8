import numpy as np
import pytest

from tfgan.layers import SelfAttention


def test_gamma_zero_is_the_identity_and_attention_rows_sum_to_one():
    x = np.random.default_rng(0).normal(size=(2, 4, 3, 16)).astype("float32")
    layer = SelfAttention()
    out, scores = layer(x, return_attention_scores=True)
    np.testing.assert_array_equal(out.numpy(), x)
    assert scores.shape == (2, 12, 12)
    np.testing.assert_allclose(scores.numpy().sum(axis=-1), 1.0, rtol=1e-5)
    assert scores.numpy().min() >= 0 and scores.numpy().std() > 1e-3  # not uniform


def test_output_is_x_plus_gamma_times_attended_values():
    rng = np.random.default_rng(1)
    x = rng.normal(size=(2, 3, 3, 8)).astype("float32")
    layer = SelfAttention(reduction=4)
    layer(x)
    layer.gamma.assign(0.7)
    out, scores = layer(x, return_attention_scores=True)
    flat = x.reshape(2, 9, 8)
    q, k, v = (flat @ p.kernel.numpy() for p in (layer.query, layer.key, layer.value))
    logits = q @ k.transpose(0, 2, 1)
    beta = np.exp(logits - logits.max(-1, keepdims=True))
    beta /= beta.sum(-1, keepdims=True)
    np.testing.assert_allclose(scores.numpy(), beta, rtol=1e-4, atol=1e-6)
    np.testing.assert_allclose(out.numpy(), x + 0.7 * (beta @ v).reshape(x.shape),
                               rtol=1e-4, atol=1e-5)


def test_spectral_norm_option_validation_and_round_trip(keras_round_trip):
    with pytest.raises(ValueError, match="Received: reduction=0"):
        SelfAttention(reduction=0)
    x = np.random.default_rng(2).normal(size=(2, 4, 4, 8)).astype("float32")
    layer = SelfAttention(spectral_norm=True, name="attention")
    layer(x)
    layer.gamma.assign(0.5)
    restored = keras_round_trip(layer, x)
    assert restored.spectral_norm and len(restored.trainable_weights) == 4
