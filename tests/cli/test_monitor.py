import json
import pathlib
import re
import shutil

import keras
import numpy as np
import pytest

from tfgan import export
from tfgan.cli.main import main
from tfgan.export import monitor
from tfgan.export import runtime

SHIPPED = pathlib.Path(__file__).parents[2] / "saved_models" / "dcgan-mnist"


def shipped_samples(n, seed):
    return export.load_generator(SHIPPED, backend="onnx")(
        z=np.random.default_rng(seed).standard_normal((n, 64)).astype("float32"))


def collapsed_generator(digit):
    """The shipped export's interface (z: 64 → 28x28x1), ignoring z: one fixed digit."""
    z = keras.Input((64,), name="z")
    x = keras.layers.Dense(784, kernel_initializer="zeros",
                           bias_initializer=keras.initializers.Constant(digit.reshape(-1)))(z)
    return keras.Model(z, keras.layers.Reshape((28, 28, 1))(x), name="collapsed")


def graft_reference(source, target):
    """Gives the export `target` the monitoring reference of `source`, files re-hashed.

    What a careless redeployment looks like: another generator, signed with valid
    hashes, under the old reference. Only the statistics can tell.
    """
    shutil.copy(source / monitor.REFERENCE_FILE, target / monitor.REFERENCE_FILE)
    metadata = json.loads((target / "metadata.json").read_text())
    metadata["monitor"] = json.loads((source / "metadata.json").read_text())["monitor"]
    metadata["files"][monitor.REFERENCE_FILE] = runtime.file_hash(
        target / monitor.REFERENCE_FILE)
    metadata["content_hash"] = runtime.content_hash(metadata["files"])
    (target / "metadata.json").write_text(json.dumps(metadata))


def last_line(path):
    return json.loads(path.read_text().splitlines()[-1])


def test_the_shipped_export_passes(tmp_path, capsys):
    jsonl = tmp_path / "monitor.jsonl"
    assert main(["monitor", "--model", str(SHIPPED), "--num-samples", "300",
                 "--jsonl", str(jsonl)]) == 0
    out = capsys.readouterr().out
    assert "all checks passed" in out and "class_kl" in out
    record = last_line(jsonl)
    assert record["passed"] and record["num_samples"] == 300 and record["seed"] == 2
    assert record["extractor"] == "mnist_classifier-features"
    assert record["classifier"] == "mnist_classifier-probabilities"
    fid = next(c for c in record["checks"] if c["name"] == "fid")
    assert 0 < fid["value"] < fid["threshold"]
    assert record["values"]["latency_ms_p95"] > 0
    # A second run appends a line rather than replacing the file.
    assert main(["monitor", "--model", str(SHIPPED), "--num-samples", "200",
                 "--jsonl", str(jsonl)]) == 0
    assert [json.loads(l)["num_samples"] for l in jsonl.read_text().splitlines()] == [300, 200]


def test_a_collapsed_generator_fails_naming_the_checks(tmp_path, capsys):
    digit = shipped_samples(1, seed=0)[0]
    export.export_generator(collapsed_generator(digit), tmp_path / "collapsed",
                            formats=("savedmodel",), monitor_samples=None)
    graft_reference(SHIPPED, tmp_path / "collapsed")
    jsonl = tmp_path / "monitor.jsonl"
    assert main(["monitor", "--model", str(tmp_path / "collapsed"), "--num-samples", "200",
                 "--jsonl", str(jsonl)]) == 1
    err = capsys.readouterr().err
    assert err.startswith("tfgan monitor: threshold crossed: fid ")
    assert "class_kl" in err
    record = last_line(jsonl)
    assert not record["passed"] and {"fid", "class_kl"} <= set(record["failed"])
    # One class: the KL of the class histogram is far above its threshold.
    kl = next(c for c in record["checks"] if c["name"] == "class_kl")
    assert kl["value"] > 10 * kl["threshold"]


def test_images_from_another_generator_are_flagged(tmp_path, capsys):
    untrained = keras.Sequential([keras.Input((64,)), keras.layers.Dense(784, activation="tanh"),
                                  keras.layers.Reshape((28, 28, 1))])
    z = np.random.default_rng(4).standard_normal((200, 64)).astype("float32")
    np.savez(tmp_path / "service.npz", images=np.asarray(untrained(z)))
    assert main(["monitor", "--model", str(SHIPPED), "--images",
                 str(tmp_path / "service.npz")]) == 1
    captured = capsys.readouterr()
    assert "float [-1, 1] from" in captured.out
    assert "fid" in captured.err and "saturation_low" in captured.err
    # The shipped generator's own outputs, as uint8 PNG-like arrays, pass.
    healthy = np.clip(np.round((shipped_samples(200, seed=7) + 1) * 127.5), 0, 255)
    np.savez(tmp_path / "healthy.npz", images=healthy.astype("uint8"))
    assert main(["monitor", "--model", str(SHIPPED), "--images",
                 str(tmp_path / "healthy.npz")]) == 0
    assert "uint8 [0, 255] from" in capsys.readouterr().out


def test_a_swapped_model_file_is_refused_at_load(tmp_path, capsys):
    swapped = tmp_path / "swapped"
    shutil.copytree(SHIPPED, swapped)
    export.export_generator(collapsed_generator(np.zeros((28, 28, 1))), tmp_path / "other",
                            formats=("onnx",), monitor_samples=None)
    shutil.copy(tmp_path / "other" / "generator.onnx", swapped / "generator.onnx")
    assert main(["monitor", "--model", str(swapped), "--backend", "onnx"]) == 2
    assert "generator.onnx changed since export" in capsys.readouterr().err


@pytest.mark.parametrize("argv, message", [
    (["--no-monitor"], "no monitoring reference \\(disabled"),
    (["--images", "missing.npz"], "must be a folder of image files or an .npz"),
    (["--fid-threshold", "-1"], "`--fid-threshold` must be a non-negative number"),
])
def test_usage_errors_exit_with_2(tiny_gan, tmp_path, capsys, argv, message):
    gan = tiny_gan()
    gan.compile(run_eagerly=True)
    gan.save(tmp_path / "gan.keras")
    export_flags = ["--no-monitor"] if "--no-monitor" in argv else ["--monitor-samples", "20"]
    assert main(["export", str(tmp_path), "--format", "keras", "--out", str(tmp_path / "gen"),
                 *export_flags]) == 0
    monitor_flags = [a if a != "missing.npz" else str(tmp_path / a) for a in argv
                     if a != "--no-monitor"]
    capsys.readouterr()
    assert main(["monitor", "--model", str(tmp_path / "gen"), *monitor_flags]) == 2
    err = capsys.readouterr().err
    assert err.startswith("tfgan monitor: ") and len(err.strip().splitlines()) == 1
    assert re.search(message, err)
