"""1 replica and 2 replicas train to the same weights; every model trains on 2 replicas
(see distribute_check.py)."""

import json
import os
import pathlib
import subprocess
import sys

import keras
import pytest

import tfgan

CHECK = pathlib.Path(__file__).with_name("distribute_check.py")
ROOT = CHECK.resolve().parents[2]
WGAN_GP = {"loss": "wasserstein", "stabilizers": ["gp"], "d_steps": 2}
CONFIGS = [{}, {"d_steps": 2, "loss": "hinge"}, {"loss": "least_squares"}, WGAN_GP,
           {"model": "conditional_gan", "stabilizers": ["gp"], "d_steps": 2}]
# Models whose replicas are not expected to reproduce one device: batch-norm statistics
# and Pix2Pix's dropout are per replica, each replica keeps its own CycleGAN image pool,
# and StyleGAN's minibatch-stddev groups are formed within each replica's batch.
TRAIN_ONLY = [{"model": name, "compare": False}
              for name in ("pix2pix", "cyclegan")] + [
    {"model": "stylegan", "compare": False, "stabilizers": [
        keras.saving.serialize_keras_object(s) for s in (
            tfgan.R1Penalty(1.0, every=2), tfgan.stabilizers.PathLengthPenalty(every=2))]}]


# One worker runs the whole module under `pytest -n` (make test): its module fixture once.
pytestmark = pytest.mark.xdist_group("distribute")


@pytest.fixture(scope="module")
def reports():
    """The check's reports of CONFIGS + TRAIN_ONLY, from one subprocess (one TF start)."""
    configs = CONFIGS + TRAIN_ONLY
    # The checkout, not an installed tfgan, is what the script imports.
    env = {**os.environ, "PYTHONPATH": str(ROOT), "TF_CPP_MIN_LOG_LEVEL": "3"}
    result = subprocess.run([sys.executable, str(CHECK), json.dumps(configs)],
                            capture_output=True, text=True, timeout=600, env=env)
    assert result.returncode == 0, result.stderr[-3000:]
    reports = json.loads(result.stdout.strip().splitlines()[-1])
    assert [r["config"] for r in reports] == configs
    return reports[:len(CONFIGS)], reports[len(CONFIGS):]


@pytest.mark.slow
def test_one_and_two_replicas_give_the_same_weights(reports):
    for report in reports[0]:
        # The Wasserstein loss is invariant to D's output bias: its gradient is exactly 0.
        expected = ["logits/bias"] if report["config"] == WGAN_GP else []
        assert report["unchanged_weights"] == expected, report
        assert report["metrics_finite"], report
        assert report["max_weight_difference"] <= 1e-5, report
        assert report["max_metric_difference"] <= 1e-5, report


@pytest.mark.slow
def test_every_model_trains_on_two_replicas(reports):
    for report in reports[1]:
        assert report["metrics_finite"] and report["unchanged_weights"] == [], report
