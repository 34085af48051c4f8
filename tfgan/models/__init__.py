"""GAN models that train with `model.fit`, all on one adversarial core (`base`)."""

from tfgan.models.base import AdversarialModel
from tfgan.models.base import default_optimizer
from tfgan.models.conditional_gan import ConditionalGAN
from tfgan.models.cyclegan import CycleGAN
from tfgan.models.gan import GAN
from tfgan.models.infogan import InfoGAN
from tfgan.models.inpainting import Inpainting
from tfgan.models.pix2pix import Pix2Pix
from tfgan.models.self_conditioned_gan import SelfConditionedGAN
from tfgan.models.srgan import SRGAN
from tfgan.models.stylegan import StyleGAN
from tfgan.models.text_image_matcher import TextImageMatcher
from tfgan.models.text_image_matcher import matching_loss
from tfgan.models.text_to_image import TextToImageGAN

from tfgan.utils.ema import ema_decay_for_half_life
from tfgan.utils.ema import ema_half_life
