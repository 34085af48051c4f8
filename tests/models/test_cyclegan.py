import importlib.util
import pathlib

import keras
import numpy as np
import pytest

_SPEC = importlib.util.spec_from_file_location(
    "tiny_models", pathlib.Path(__file__).with_name("tiny_models.py"))
tiny_models = importlib.util.module_from_spec(_SPEC)
_SPEC.loader.exec_module(tiny_models)

SHAPE = (8, 8, 3)


def _model(pool_size=4):
    return tiny_models.cyclegan(pool_size)[0]


def _data(n=4):
    # Flat colour images: A and B are colour-swapped versions of each other.
    colours = np.random.RandomState(0).uniform(-0.9, 0.9, (n, 1, 1, 3)).astype("float32")
    a = np.broadcast_to(colours, (n,) + SHAPE).copy()
    return a, a[..., ::-1].copy()


def test_losses_match_their_definition():
    model = _model()
    model.compile(run_eagerly=True)
    a, b = _data()
    logs = model.evaluate(a, b, batch_size=4, verbose=0, return_dict=True)
    g, f = model.generator_ab, model.generator_ba
    fake_b, fake_a = g(a, training=False), f(b, training=False)
    cycle = (np.mean(np.abs(f(fake_b, training=False) - a))
             + np.mean(np.abs(g(fake_a, training=False) - b)))
    identity = np.mean(np.abs(g(b, training=False) - b)) + np.mean(np.abs(f(a, training=False) - a))
    adversarial = (np.mean(0.5 * (model.discriminator_b(fake_b).numpy() - 1) ** 2)
                   + np.mean(0.5 * (model.discriminator_a(fake_a).numpy() - 1) ** 2))
    assert logs["cycle_loss"] == pytest.approx(cycle, rel=1e-5)
    assert logs["identity_loss"] == pytest.approx(identity, rel=1e-5)
    assert logs["adversarial_loss"] == pytest.approx(adversarial, rel=1e-4)
    # The paper's (D(G(x)) - 1)² is twice tfgan's least-squares ½·(l - 1)².
    assert model.adversarial_weight == 2.0
    assert logs["g_loss"] == pytest.approx(2 * adversarial + 10 * cycle + 5 * identity, rel=1e-4)
    model.compile(loss="hinge", run_eagerly=True)
    assert model.adversarial_weight == 1.0


def test_cycle_loss_decreases_over_a_few_steps():
    model = _model()
    model.compile(run_eagerly=True, g_optimizer=keras.optimizers.Adam(5e-3, beta_1=0.5))
    a, b = _data(4)
    history = model.fit(a, b, batch_size=4, epochs=5, verbose=0).history
    # Falls by 25-38% over seeds 0-4 (seed 0: 0.601 -> 0.449; with oneDNN off 0.603 -> 0.440)
    # and by exactly 0% with a learning rate of 0: asking for 10% holds on any CPU and math
    # library.
    assert history["cycle_loss"][-1] < 0.9 * history["cycle_loss"][0]
    assert int(model.step.numpy()) == 5
    assert int(model.pool_a.count.numpy()) == int(model.pool_b.count.numpy()) == 4


def test_graph_mode_fit_save_and_reload(tmp_path):
    model = _model()
    model.compile(cycle_weight=5.0, identity_weight=0.0, adversarial_weight=3.0)
    a, b = _data()
    history = model.fit(a, b, batch_size=2, epochs=1, verbose=0).history
    assert history["identity_loss"] == [0.0]  # identity_weight=0 skips the term
    path = tmp_path / "cyclegan.keras"
    model.save(path)
    restored = keras.models.load_model(path)
    assert (restored.cycle_weight, restored.identity_weight, restored.adversarial_weight,
            restored.pool_size) == (5.0, 0.0, 3.0, 4)
    for direction in ("a_to_b", "b_to_a"):
        np.testing.assert_allclose(restored.translate(a, direction),
                                   model.translate(a, direction), atol=1e-6)
    np.testing.assert_array_equal(restored.pool_b.images.numpy(), model.pool_b.images.numpy())
    assert int(restored.step.numpy()) == 2
    assert restored.compiled and restored.d_optimizer.iterations.numpy() == 2


def test_rejects_bad_inputs():
    model = _model()
    model.compile(run_eagerly=True)
    with pytest.raises(ValueError, match="b=None"):
        model.fit(_data()[0], batch_size=2, verbose=0)
    with pytest.raises(ValueError, match="direction"):
        model.translate(_data()[0], "sideways")
    with pytest.raises(ValueError, match="cycle_weight"):
        model.compile(cycle_weight=-1)
    with pytest.raises(ValueError, match="adversarial_weight"):
        model.compile(adversarial_weight=-1)
