import json

import keras
import numpy as np
import pytest

from tfgan import datasets
from tfgan import metrics
from tfgan.cli.main import main
from tfgan.utils.seeds import stateless_latents


def _generator(path):
    inputs = keras.Input((8,))
    x = keras.layers.Dense(28 * 28, activation="tanh")(inputs)
    model = keras.Model(inputs, keras.layers.Reshape((28, 28, 1))(x), name="g")
    model.save(path)
    return model


def test_evaluate_prints_a_table_and_writes_json(tmp_path, capsys):
    generator = _generator(tmp_path / "generator.keras")
    out = tmp_path / "eval.json"
    code = main(["evaluate", "--model", str(tmp_path / "generator.keras"),
                 "--dataset", "embedded-mnist", "--metrics", "fid,kid,is,pr",
                 "--num-samples", "60", "--reference-samples", "100", "--batch-size", "32",
                 "--kid-subsets", "2", "--kid-subset-size", "50", "--seed", "1",
                 "--cache-dir", str(tmp_path / "cache"), "--out", str(out)])
    assert code == 0
    results = json.loads(out.read_text())["results"]
    # The same numbers through the library API.
    x, _ = datasets.load_embedded_mnist()
    real = x[:100, ..., None].astype("float32") / 127.5 - 1
    feats = metrics.mnist_features()
    real_features = feats(real)
    fake = np.asarray(generator(stateless_latents(60, 8, 1), training=False))
    fake_features = feats(fake)
    assert results["fid"]["value"] == pytest.approx(
        metrics.fid_from_features(fake_features, real_features), rel=1e-4)
    assert results["pr"]["precision"] == metrics.precision_recall(real_features,
                                                                  fake_features)[0]
    assert results["is"]["value"] == pytest.approx(
        metrics.inception_score(metrics.mnist_probabilities()(fake), 10)[0], rel=1e-4)
    assert results["fid"]["protocol"]["reference"]["count"] == 100
    assert results["fid"]["protocol"]["extractor"] == "mnist_classifier-features"
    table = capsys.readouterr().out
    for name in ("fid60", "kid60", "is60", "pr60", "reference=embedded-mnist/train(100)"):
        assert name in table
    assert len(list((tmp_path / "cache").glob("*.npz"))) == 1


def test_evaluate_rejects_unknown_metrics(tmp_path, capsys):
    _generator(tmp_path / "g.keras")
    assert main(["evaluate", "--model", str(tmp_path / "g.keras"), "--metrics", "fid,xyz"]) == 2
    assert "--metrics fid,xyz" in capsys.readouterr().err
    assert main(["evaluate", "--model", str(tmp_path / "missing.keras")]) == 2
    assert "existing .keras" in capsys.readouterr().err


def test_a_saved_gan_with_inception_offline_says_how_to_fix_it(tiny_gan, tmp_path, capsys):
    # A whole GAN loads in safe mode; its 8x8x1 images go to InceptionV3, whose weights
    # cannot be downloaded here: the command names the flag for a local weights file.
    gan = tiny_gan()
    gan.save(tmp_path / "gan.keras")
    assert main(["evaluate", "--model", str(tmp_path / "gan.keras"), "--metrics", "fid",
                 "--num-samples", "8", "--reference-samples", "8", "--cache-dir",
                 str(tmp_path / "cache"), "--inception-weights",
                 str(tmp_path / "none.h5")]) == 2
    assert "--inception-weights PATH" in capsys.readouterr().err


def test_fid_inception_extractor_refuses_missing_weights_by_name(tmp_path, capsys,
                                                                  monkeypatch):
    _generator(tmp_path / "generator.keras")
    missing = tmp_path / "nope.weights.h5"
    monkeypatch.setenv("TFGAN_FID_WEIGHTS", str(missing))
    code = main(["evaluate", "--model", str(tmp_path / "generator.keras"),
                 "--dataset", "embedded-mnist", "--extractor", "fid_inception_clean",
                 "--num-samples", "8", "--reference-samples", "8",
                 "--cache-dir", str(tmp_path / "cache")])
    assert code == 2
    error = capsys.readouterr().err
    assert "TFGAN_FID_WEIGHTS" in error and str(missing) in error
