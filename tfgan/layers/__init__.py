"""Layers for GAN generators and discriminators: normalization, padding, minibatch
statistics, packing, style-based synthesis, attention and sub-pixel upsampling."""

from tfgan.layers.adain import AdaIN
from tfgan.layers.conditional_batch_normalization import ConditionalBatchNormalization
from tfgan.layers.conditioned_batch_normalization import ConditionedBatchNormalization
from tfgan.layers.constant_input import ConstantInput
from tfgan.layers.equalized_conv2d import EqualizedConv2D
from tfgan.layers.equalized_dense import EqualizedDense
from tfgan.layers.image_pool import ImagePool
from tfgan.layers.instance_normalization import InstanceNormalization
from tfgan.layers.mapping_network import MappingNetwork
from tfgan.layers.mask_composite import MaskComposite
from tfgan.layers.minibatch_discrimination import MinibatchDiscrimination
from tfgan.layers.minibatch_stddev import MinibatchStdDev
from tfgan.layers.modulated_conv2d import ModulatedConv2D
from tfgan.layers.noise_injection import NoiseInjection
from tfgan.layers.packing import Pack
from tfgan.layers.reflection_padding import ReflectionPadding2D
from tfgan.layers.self_attention import SelfAttention
from tfgan.layers.spectral_normalization import SpectralNorm
from tfgan.layers.style_mixing import StyleMixing
from tfgan.layers.subpixel_upsampling import SubPixelUpsampling
from tfgan.layers.style_mixing import mix_styles
from tfgan.layers.truncation import Truncation
from tfgan.layers.truncation import truncate
from tfgan.layers.conditioning_augmentation import ConditioningAugmentation
from tfgan.layers.conditioning_augmentation import kl_to_standard_normal
from tfgan.layers.text_encoder import TextEncoder
from tfgan.layers.text_vectorizer import text_vectorizer
from tfgan.layers.text_vectorizer import tokenize
from tfgan.layers.word_attention import WordAttention
