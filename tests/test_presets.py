"""Named presets build compiled GANs with the documented settings."""

import numpy as np
import pytest

from tfgan import presets
from tfgan.models import ema_half_life


def test_dcgan_mnist_builds_with_an_ema_of_the_stated_half_life():
    preset = presets.get("dcgan-mnist")
    gan = preset.build(seed=0)
    assert gan.latent_dim == 64 and gan.image_shape == (28, 28, 1)
    np.testing.assert_allclose(ema_half_life(gan.ema_decay, preset.defaults["batch_size"]),
                               10_000)
    # A different batch size keeps the half-life in images, not in steps.
    other = preset.build({"batch_size": 256}, seed=0)
    np.testing.assert_allclose(ema_half_life(other.ema_decay, 256), 10_000)
    assert other.ema_decay < gan.ema_decay


def test_dcgan_keys_shape_the_networks():
    preset = presets.get("dcgan-mnist")
    paper = preset.build({"base_filters": 8, "output_convolution": False,
                          "d_base_filters": None, "clusters": None}, seed=0)
    assert paper.generator.layers[-2].__class__.__name__ == "Conv2DTranspose"
    assert paper.discriminator.layers[1].filters == 8
    wide = preset.build({"base_filters": 8, "output_convolution": True,
                         "d_base_filters": 24, "clusters": None}, seed=0)
    image = wide.generator.layers[-2]
    assert image.__class__.__name__ == "Conv2D" and image.kernel_size == (3, 3)
    assert wide.generator.layers[1].units == 7 * 7 * 32  # 7x7x32 → 16 → 8 → image
    assert wide.discriminator.layers[1].filters == 24


def test_cgan_mnist_takes_the_dcgan_keys():
    preset = presets.get("cgan-mnist")
    assert set(presets.get("dcgan-mnist").defaults) == set(preset.defaults)
    model = preset.build({"base_filters": 8, "output_convolution": True, "d_base_filters": 24,
                          "d_normalization": "none", "r1_gamma": 0.5, "r1_every": 4,
                          "g_learning_rate": 1e-3, "beta_1": 0.0}, seed=0)
    assert model.generator.layers[-2].kernel_size == (3, 3)
    kinds = [layer.__class__.__name__ for layer in model.discriminator.layers]
    assert "Conv2D" in kinds and "BatchNormalization" not in kinds
    assert [s.__class__.__name__ for s in model.stabilizers] == ["R1Penalty"]
    assert model.stabilizers[0].every == 4
    assert float(model.g_optimizer.learning_rate) == pytest.approx(1e-3)
    assert float(model.g_optimizer.beta_1) == 0.0


def test_augment_target_makes_the_preset_augmentation_adaptive():
    preset = presets.get("dcgan-cifar10")
    fixed = preset.build({"augment": "color,cutout"}, seed=0).stabilizers[0]
    adaptive = preset.build({"augment": "color,cutout", "augment_target": 0.6},
                            seed=0).stabilizers[0]
    assert (fixed.policy, fixed.target, fixed.p) == ("color,cutout", None, 1.0)
    assert (adaptive.target, float(adaptive.p)) == (0.6, 0.0)
    with pytest.raises(ValueError, match="Received: augment=None, augment_target=0.9"):
        preset.build({"augment_target": 0.9}, seed=0)


def test_unknown_preset_names_the_choices():
    with pytest.raises(ValueError, match="dcgan-mnist"):
        presets.get("nope")


def test_config_overrides_only_known_keys():
    preset = presets.get("pix2pix-facades")
    assert preset.resolve({"image_size": 64})["image_size"] == 64
    with pytest.raises(ValueError, match="no config key 'imagesize'.*Valid keys: .*image_size"):
        preset.resolve({"imagesize": 64})


def test_the_registry_has_every_documented_preset():
    assert sorted(presets.PRESETS) == sorted([
        "dcgan-mnist", "dcgan-cifar10", "dcgan-64", "wgan-gp-mnist", "sngan-cifar10",
        "cgan-mnist", "pix2pix-facades", "cyclegan-horse2zebra", "inpainting-center",
        "mixture-2d", "stylegan-mnist", "stylegan-cifar10", "srgan-x4",
        "text2image-mnist"])
    for name, preset in presets.PRESETS.items():
        assert name in presets.__doc__ and preset.description


def test_folder_presets_say_they_need_a_dataset():
    with pytest.raises(ValueError, match="pass --dataset FOLDER"):
        presets.get("cyclegan-horse2zebra").dataset()


def test_pix2pix_preset_reads_the_facades_layout(shared_data):
    preset = presets.get("pix2pix-facades")
    config = {"dataset": str(shared_data / "facades"), "image_size": 32, "base_filters": 4,
              "max_filters": 8, "batch_size": 2}
    inputs, targets = next(iter(preset.dataset(config, seed=0)))
    assert inputs.shape == targets.shape == (2, 32, 32, 3)
    held_out = preset.sample_inputs(config)
    assert held_out.shape == (8, 32, 32, 3) and -1.001 <= held_out.min() < held_out.max() <= 1.001
    model = preset.build(config, seed=0)
    assert model.sample(2, inputs=held_out).shape == (2, 32, 32, 3)


def test_stylegan_mnist_pads_the_embedded_digits_and_builds_the_paper_recipe():
    preset = presets.get("stylegan-mnist")
    config = {"batch_size": 4, "latent_dim": 8, "mapping_layers": 2, "base_filters": 2,
              "max_filters": 4}
    batch = next(iter(preset.dataset(config, seed=0))).numpy()
    assert batch.shape == (4, 32, 32, 1)
    np.testing.assert_array_equal(batch[:, :2], -1.0)  # black padding, digit intact
    assert batch[:, 2:30, 2:30].max() > 0.9
    model = preset.build(config, seed=0)
    assert model.image_shape == (32, 32, 1) and model.style_mixing == 0.9
    r1, path_length = model.stabilizers
    assert (r1.every, r1.gamma, path_length.every, path_length.weight) == (16, 0.1, 4, 2.0)
    # StyleGAN2's lazy correction: lr · N/(N+1), β2 ** (N/(N+1)).
    np.testing.assert_allclose(float(model.d_optimizer.learning_rate), 0.0025 * 16 / 17)
    np.testing.assert_allclose(model.g_optimizer.beta_2, 0.99 ** 0.8)
    assert model.generate(2, seed=0).shape == (2, 32, 32, 1)


def test_sngan_cifar10_with_self_attention_is_sagan():
    preset = presets.get("sngan-cifar10")
    plain = preset.build({"base_filters": 8}, seed=0)
    sagan = preset.build({"base_filters": 8, "self_attention": 16}, seed=0)
    for network in (sagan.generator, sagan.discriminator):
        attention = [layer for layer in network._flatten_layers()
                     if type(layer).__name__ == "SelfAttention"]
        assert len(attention) == 1, network.name
    assert not [layer for layer in plain.generator._flatten_layers()
                if type(layer).__name__ == "SelfAttention"]
    with pytest.raises(ValueError, match="self_attention"):
        preset.build({"base_filters": 8, "self_attention": 12}, seed=0)


def test_inpainting_center_reads_a_folder_or_tfds_and_builds_the_paper_recipe(shared_data):
    preset = presets.get("inpainting-center")
    with pytest.raises(ValueError, match="pass --dataset FOLDER or a TFDS name"):
        preset.dataset()
    config = {"dataset": str(shared_data / "horse2zebra" / "testA"), "image_size": 16,
              "base_filters": 4, "batch_size": 2, "local_discriminator": True}
    images, masks = next(iter(preset.dataset(config, seed=0)))
    assert images.shape == (2, 16, 16, 3) and masks.shape == (2, 16, 16, 1)
    np.testing.assert_array_equal(masks[0, 4:12, 4:12], 1.0)  # the central half-side square
    assert float(np.sum(masks[0])) == 64
    model = preset.build(config, seed=0)
    assert (model.reconstruction_weight, model.adversarial_weight) == (0.999, 0.001)
    assert model.local_discriminator.input_shape == (None, 8, 8, 3)
    tfds = {"dataset": "cifar10", "image_size": 32}
    held_out = preset.sample_inputs(tfds, data_dir=shared_data / "tensorflow_datasets")
    assert held_out.shape == (8, 32, 32, 4)  # images with the mask as a fourth channel
    np.testing.assert_array_equal(held_out[:, 8:24, 8:24, 3], 1.0)


def test_srgan_preset_trains_on_photo_halves_and_starts_from_a_pretrained_generator(
        shared_data, tmp_path):
    preset = presets.get("srgan-x4")
    config = {"dataset": str(shared_data / "facades"), "hr_size": 32, "num_blocks": 1,
              "filters": 4, "d_filters": 4, "batch_size": 2, "pair_side": "left"}
    low, high = next(iter(preset.dataset(config, seed=0)))
    assert low.shape == (2, 8, 8, 3) and high.shape == (2, 32, 32, 3)
    held_out = preset.sample_inputs(config)
    assert held_out.shape == (8, 8, 8, 3)
    pretrained = preset.build({**config, "pretrain": True}, seed=0)
    assert pretrained.pretrain and pretrained.adversarial_weight == 1e-3
    pretrained.generator.save(tmp_path / "generator.keras")
    model = preset.build({**config, "init_generator": str(tmp_path / "generator.keras")},
                         seed=1)
    np.testing.assert_allclose(model.sample(2, inputs=held_out),
                               pretrained.sample(2, inputs=held_out), atol=1e-6)
    with pytest.raises(ValueError, match="at least hr_size=512"):
        preset.dataset({**config, "hr_size": 512})


def test_text2image_mnist_trains_on_captions_with_a_vocabulary_from_them(tmp_path):
    preset = presets.get("text2image-mnist")
    config = {"batch_size": 4, "base_filters": 4, "text_units": 4, "embedding_dim": 4,
              "matcher_steps": 2}
    images, captions = next(iter(preset.dataset(config, seed=0)))
    assert images.shape == (4, 28, 28, 1) and captions.dtype.name == "string"
    model = preset.build(config, seed=0)
    assert model.kl_weight == 1.0 and model.max_length == 12
    # The DAMSM-style matcher is trained first (2 steps here), on the GAN's vocabulary.
    assert model.matching_weight == 5.0 and not model.matcher.trainable
    assert int(model.matcher.optimizer.iterations) == 2
    assert model.matcher.vectorizer.get_vocabulary() == model.vectorizer.get_vocabulary()
    # The generator reads captions with a frozen copy of the matcher's text encoder.
    encoder = model.generator.get_layer("text_encoder")
    for a, b in zip(encoder.get_weights(),
                    model.matcher.text_encoder.get_layer("text_encoder").get_weights()):
        np.testing.assert_array_equal(a, b)
    assert not any("text_encoder" in v.path for v in model.generator.trainable_variables)
    alone = preset.build({**config, "matching_weight": 0.0}, seed=0)
    assert alone.matcher is None and not alone.generator.get_layer("text_encoder").trainable
    own = preset.build({**config, "matching_weight": 0.0, "matcher_text_encoder": False},
                       seed=0)
    assert own.matcher is None and own.generator.get_layer("text_encoder").trainable
    vocabulary = model.vectorizer.get_vocabulary()
    assert {"seven", "7", "thick", "leaning"} <= set(vocabulary)
    assert "handwritten" not in vocabulary  # held-out phrasings only
    assert model.sample(3).shape == (3, 28, 28, 1)
    with pytest.raises(ValueError, match="captioned-mnist"):
        preset.build({**config, "dataset": "mnist"})
