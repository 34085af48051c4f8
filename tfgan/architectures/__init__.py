"""Network builders that return functional Keras models."""

from tfgan.architectures.biggan import biggan_discriminator
from tfgan.architectures.biggan import biggan_generator
from tfgan.architectures.conditional_dcgan import conditional_dcgan_discriminator
from tfgan.architectures.conditional_dcgan import conditional_dcgan_generator
from tfgan.architectures.dcgan import dcgan_discriminator
from tfgan.architectures.dcgan import dcgan_generator
from tfgan.architectures.inpainting import inpainting_discriminator
from tfgan.architectures.inpainting import inpainting_generator
from tfgan.architectures.inpainting import local_crop_size
from tfgan.architectures.mlp import mlp_discriminator
from tfgan.architectures.mlp import mlp_generator
from tfgan.architectures.patchgan import patchgan_discriminator
from tfgan.architectures.resnet_generator import resnet_generator
from tfgan.architectures.sngan import sngan_discriminator
from tfgan.architectures.sngan import sngan_generator
from tfgan.architectures.srresnet import srgan_discriminator
from tfgan.architectures.srresnet import srresnet_generator
from tfgan.architectures.srresnet import vgg_feature_extractor
from tfgan.architectures.text_to_image import text_to_image_discriminator
from tfgan.architectures.text_to_image import text_to_image_generator
from tfgan.architectures.unet import unet_generator
from tfgan.architectures.stylegan import mapping_network
from tfgan.architectures.stylegan import num_style_layers
from tfgan.architectures.stylegan import style_discriminator
from tfgan.architectures.stylegan import style_generator
from tfgan.architectures.stylegan import synthesis_network
