import json

import keras
import numpy as np
import pytest

from tfgan import metrics
from tfgan.callbacks import EvaluateFID


def _extractor():
    return metrics.FeatureExtractor(keras.layers.AveragePooling2D(2), name="pool2")


def _reference(images):
    return metrics.FeatureStatistics.from_features(
        _extractor()(images), metadata={"dataset": "tiny", "split": "train"})


def test_fid_reaches_a_later_model_checkpoint(tiny_gan, tiny_images, tmp_path):
    gan = tiny_gan()
    gan.compile(run_eagerly=True)
    fid = EvaluateFID(_reference(tiny_images), _extractor(), num_samples=12,
                      jsonl_path=tmp_path / "fid.jsonl", seed=3)
    checkpoint = keras.callbacks.ModelCheckpoint(
        str(tmp_path / "best.weights.h5"), monitor="fid", mode="min", save_best_only=True,
        save_weights_only=True)
    history = gan.fit(tiny_images, batch_size=8, epochs=3, verbose=0,
                      callbacks=[fid, checkpoint])
    values = [r["value"] for r in fid.history]
    assert history.history["fid"] == pytest.approx(values)
    assert checkpoint.best == pytest.approx(min(values))
    assert (tmp_path / "best.weights.h5").exists()
    # The logged value is the FID of the model's samples for the fixed seed.
    fake = _extractor()(gan.generate(12, seed=3))
    assert values[-1] == pytest.approx(
        metrics.fid_from_features(fake, _extractor()(tiny_images)), rel=1e-6)
    records = [json.loads(line) for line in (tmp_path / "fid.jsonl").read_text().splitlines()]
    assert [r["epoch"] for r in records] == [1, 2, 3]
    assert [r["step"] for r in records] == [2, 4, 6]
    assert records[0]["name"] == "fid12" and records[0]["seconds"] > 0
    assert records[0]["protocol"] == {"num_samples": 12, "seed": 3, "extractor": "pool2",
                                      "reference": {"dataset": "tiny", "split": "train",
                                                    "count": 16}}


def test_every_n_epochs_and_the_ema_generator(tiny_gan, tiny_images):
    from tfgan import GAN

    class EMAGAN(GAN):
        @property
        def sampling_generator(self):
            return self.ema

    base = tiny_gan()
    gan = EMAGAN(base.generator, base.discriminator, seed=1)
    gan.ema = keras.models.clone_model(base.generator)
    gan.compile(run_eagerly=True)
    fid = EvaluateFID(_reference(tiny_images), _extractor(), num_samples=8, every_n_epochs=2)
    history = gan.fit(tiny_images, batch_size=8, epochs=3, verbose=0, callbacks=[fid])
    assert [r["epoch"] for r in fid.history] == [2]
    assert "fid" not in history.history or len(history.history["fid"]) == 1
    fake = _extractor()(gan.ema(gan.sample_latents(8, 0), training=False))
    assert fid.history[0]["value"] == pytest.approx(
        metrics.fid_from_features(fake, _extractor()(tiny_images)), rel=1e-6)


def test_reference_file_and_config_round_trip(tiny_images, tmp_path):
    path = _reference(tiny_images).save(tmp_path / "ref.npz")
    model = keras.Sequential([keras.Input((8, 8, 1)), keras.layers.AveragePooling2D(2)])
    callback = EvaluateFID(path, metrics.FeatureExtractor(model, name="pool2"),
                           num_samples=10, every_n_epochs=2, jsonl_path="x.jsonl")
    restored = keras.saving.deserialize_keras_object(
        keras.saving.serialize_keras_object(callback))
    assert restored.get_config()["num_samples"] == 10 and restored.reference.count == 16
    np.testing.assert_array_equal(restored.reference.covariance, callback.reference.covariance)


def test_argument_errors(tiny_images):
    with pytest.raises(ValueError, match="every_n_epochs=0"):
        EvaluateFID(_reference(tiny_images), _extractor(), every_n_epochs=0)
    with pytest.raises(TypeError, match="reference"):
        EvaluateFID(np.zeros(3), _extractor())
