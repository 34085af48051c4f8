"""Two localhost workers under MultiWorkerMirroredStrategy match a single-process run,
for a GAN, a Pix2Pix and a CycleGAN (trained one after another by the same two workers:
starting them is most of the time)."""

import json
import os
import pathlib
import subprocess
import sys

import pytest

CHECK = pathlib.Path(__file__).with_name("multiworker_check.py")
ROOT = pathlib.Path(__file__).resolve().parents[2]

# One worker runs the whole module under `pytest -n` (make test): its module fixture once.
pytestmark = pytest.mark.xdist_group("multiworker")


@pytest.fixture(scope="module")
def report(tmp_path_factory):
    """The check's `{model: {"worker0": diff, "worker1": diff} or {"error": ...}}`."""
    tmp_path = tmp_path_factory.mktemp("multiworker")
    # The workers import this checkout's tfgan, installed or not.
    env = {**os.environ, "PYTHONPATH": str(ROOT)}
    for attempt in range(2):
        result = subprocess.run([sys.executable, str(CHECK), str(tmp_path / str(attempt))],
                                capture_output=True, text=True, timeout=900, env=env)
        # The coordination service's heartbeat can time out on an overloaded machine;
        # that (and only that) is retried once, whether a worker died of it or a
        # model's training recorded it as its error.
        if "heartbeat timeout" not in result.stderr:
            break
    assert result.returncode == 0, result.stderr[-3000:]
    return json.loads(result.stdout.strip().splitlines()[-1])


@pytest.mark.slow
@pytest.mark.parametrize("model", ["gan", "pix2pix", "cyclegan"])
def test_two_workers_match_a_single_process_run(report, model):
    assert sorted(report) == ["cyclegan", "gan", "pix2pix"]
    assert report[model].get("error") is None, report[model]["error"]
    assert sorted(report[model]) == ["worker0", "worker1"]
    assert max(report[model].values()) <= 1e-5, report[model]
