"""The image-to-image and conditional generators export (SavedModel + ONNX) with parity."""

import numpy as np

import tfgan
from tfgan.architectures import conditional_dcgan_discriminator
from tfgan.architectures import conditional_dcgan_generator
from tfgan.architectures import resnet_generator
from tfgan.architectures import unet_generator


def test_image_to_image_generators_export_image_in_image_out(tmp_path):
    for name, generator in (("unet", unet_generator((16, 16, 3), base_filters=4)),
                            ("resnet", resnet_generator((16, 16, 3), base_filters=4,
                                                        num_blocks=1))):
        metadata = tfgan.export.export_generator(generator, tmp_path / name)
        assert metadata["kind"] == "image"
        assert metadata["inputs"] == {"image": {"shape": [None, 16, 16, 3], "dtype": "float32"}}
        # export_generator raises ExportParityError beyond 1e-5; the numbers are recorded.
        assert max(metadata["parity_max_abs_difference"].values()) <= 1e-5


def test_conditional_gan_exports_with_a_label_input(tmp_path):
    generator = conditional_dcgan_generator(3, (8, 8, 1), latent_dim=4, base_filters=4)
    discriminator = conditional_dcgan_discriminator(3, (8, 8, 1), base_filters=4)
    model = tfgan.models.ConditionalGAN(generator, discriminator, 3, seed=0)
    metadata = tfgan.export.export_generator(model, tmp_path / "cgan", formats=("savedmodel",))
    assert metadata["kind"] == "conditional" and metadata["num_classes"] == 3
    exported = tfgan.export.load_generator(tmp_path / "cgan")
    z = model.sample_latents(3, seed=4)
    np.testing.assert_allclose(exported(z=z, label=np.array([2, 0, 1])),
                               model.generate(latents=z, labels=[2, 0, 1]), atol=1e-5)
