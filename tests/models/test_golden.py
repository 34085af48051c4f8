"""Golden weights: a few graph-mode steps of every model family give recorded weights.

Written before the models moved onto the shared adversarial core (`tfgan.models.base`),
and kept so that no later refactoring changes what a training step computes. Each case
trains with fixed seeds and data, SGD (its update is linear in the gradient, so the
recorded weights do not depend on a CPU's summation order beyond rounding) and
`jit_compile=False` (XLA's random streams differ), then compares every weight of every
network with `golden/weights.npz` to 1e-6.

Regenerate only for an intended change of the training computation:
`PYTHONPATH=. python tests/models/test_golden.py`.
"""

import importlib.util
import pathlib

import keras
import numpy as np
import pytest

import tfgan

_SPEC = importlib.util.spec_from_file_location(
    "tiny_models", pathlib.Path(__file__).with_name("tiny_models.py"))
tiny_models = importlib.util.module_from_spec(_SPEC)
_SPEC.loader.exec_module(tiny_models)

GOLDEN = pathlib.Path(__file__).with_name("golden") / "weights.npz"
STEPS = 3
BATCH = 8


def _sgd():
    return keras.optimizers.SGD(learning_rate=0.01)


def _gan():
    model, images = tiny_models.gan(ema_decay=0.9)
    model.compile(g_optimizer=_sgd(), d_optimizer=_sgd(), d_steps=2,
                  stabilizers=[tfgan.R1Penalty(1.0)])
    return model, (images,), ("generator", "discriminator", "ema_generator")


def _conditional_gan():
    model, data = tiny_models.conditional_gan()
    model.compile(g_optimizer=_sgd(), d_optimizer=_sgd())
    return model, data, ("generator", "discriminator")


def _pix2pix():
    model, data = tiny_models.pix2pix()
    model.compile(g_optimizer=_sgd(), d_optimizer=_sgd())
    return model, data, ("generator", "discriminator")


def _cyclegan():
    model, data = tiny_models.cyclegan(pool_size=4)
    model.compile(g_optimizer=_sgd(), d_optimizer=_sgd())
    return model, data, ("generator_ab", "generator_ba", "discriminator_a",
                         "discriminator_b")


CASES = {"gan": _gan, "conditional_gan": _conditional_gan, "pix2pix": _pix2pix,
         "cyclegan": _cyclegan}


def trained_weights(name):
    """`(initial, trained)`: `{"name/network/i": array}` before and after `STEPS`
    graph-mode steps of case `name`."""
    keras.utils.set_random_seed(0)
    model, data, networks = CASES[name]()
    data = tuple(array[:BATCH * STEPS] for array in data)

    def weights():
        return {f"{name}/{network}/{i}": np.array(weight)
                for network in networks
                for i, weight in enumerate(getattr(model, network).get_weights())}

    initial = weights()
    model.fit(*data, batch_size=BATCH, epochs=1, shuffle=False, verbose=0)
    return initial, weights()


@pytest.mark.parametrize("name", sorted(CASES))
def test_weights_match_the_golden_record(name):
    golden = np.load(GOLDEN)
    expected = {key: golden[key] for key in golden.files if key.startswith(name + "/")}
    initial, weights = trained_weights(name)
    assert sorted(weights) == sorted(expected)
    worst = max(float(np.max(np.abs(weights[k] - expected[k]))) for k in expected)
    assert worst <= 1e-6, f"{name}: largest weight difference {worst}"
    # The record is of trained weights: the steps moved them far beyond the tolerance.
    moved = max(float(np.max(np.abs(initial[k] - expected[k]))) for k in expected)
    assert moved > 1e-3, f"{name}: the golden weights are the untrained ones"


if __name__ == "__main__":
    GOLDEN.parent.mkdir(exist_ok=True)
    record = {}
    for case in sorted(CASES):
        record.update(trained_weights(case)[1])
    np.savez(GOLDEN, **record)
    print(f"wrote {GOLDEN}: {len(record)} arrays")
