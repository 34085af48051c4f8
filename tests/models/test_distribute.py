"""1 replica and 2 replicas train to the same weights (see distribute_check.py)."""

import json
import pathlib
import subprocess
import sys

import pytest

CHECK = pathlib.Path(__file__).with_name("distribute_check.py")
CONFIGS = [{}, {"d_steps": 2, "loss": "hinge"}, {"loss": "least_squares"}]


@pytest.mark.slow
def test_one_and_two_replicas_give_the_same_weights():
    result = subprocess.run([sys.executable, str(CHECK), json.dumps(CONFIGS)],
                            capture_output=True, text=True, timeout=600)
    assert result.returncode == 0, result.stderr[-3000:]
    reports = json.loads(result.stdout.strip().splitlines()[-1])
    assert [r["config"] for r in reports] == CONFIGS
    for report in reports:
        assert report["weights_changed"], report
        assert report["max_weight_difference"] <= 1e-5, report
        assert report["max_metric_difference"] <= 1e-5, report
