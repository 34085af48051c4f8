"""Evaluation metrics: FID, KID, Inception Score, precision/recall, PSNR/SSIM, feature extractors.

Feature extraction is separate from the statistics: extractors map images in [-1, 1] to
features; `FeatureStatistics` accumulates them in float64; the metric functions work on
statistics or feature arrays. `evaluate_generator` streams a generator's samples through
all of it and returns every number with its protocol.

`FIDInceptionExtractor` is the network published FIDs use (pytorch-fid, clean-fid,
torch-fidelity; its weights are downloaded or given by `TFGAN_FID_WEIGHTS`). Keras'
InceptionV3 is not: numbers from `InceptionV3Extractor` are not comparable with papers.
"""

from tfgan.metrics.evaluation import METRICS
from tfgan.metrics.evaluation import evaluate_generator
from tfgan.metrics.evaluation import extract
from tfgan.metrics.evaluation import generated_batches
from tfgan.metrics.evaluation import iterate_batches
from tfgan.metrics.evaluation import metric_name
from tfgan.metrics.extractors import FeatureExtractor
from tfgan.metrics.extractors import INCEPTION_NOTE
from tfgan.metrics.extractors import InceptionV3Extractor
from tfgan.metrics.extractors import classifier_features
from tfgan.metrics.extractors import classifier_probabilities
from tfgan.metrics.extractors import get as get_extractor
from tfgan.metrics.extractors import load_classifier
from tfgan.metrics.extractors import load_mnist_classifier
from tfgan.metrics.extractors import mnist_features
from tfgan.metrics.extractors import mnist_probabilities
from tfgan.metrics.fid_inception import FIDInceptionExtractor
from tfgan.metrics.fid_inception import build_fid_inception
from tfgan.metrics.fid_inception import convert_pytorch_weights
from tfgan.metrics.fid_inception import resolve_weights as resolve_fid_weights
from tfgan.metrics.frechet import fid_from_features
from tfgan.metrics.frechet import fid_from_statistics
from tfgan.metrics.frechet import frechet_distance
from tfgan.metrics.frechet import trace_sqrt_product
from tfgan.metrics.inception_score import inception_score
from tfgan.metrics.kid import kernel_inception_distance
from tfgan.metrics.kid import mmd2_unbiased
from tfgan.metrics.kid import polynomial_kernel
from tfgan.metrics.modes import mode_coverage
from tfgan.metrics.precision_recall import precision_recall
from tfgan.metrics.reference import cache_key
from tfgan.metrics.reference import default_cache_dir
from tfgan.metrics.reference import reference_statistics
from tfgan.metrics.output_distances import output_distances
from tfgan.metrics.restoration import psnr
from tfgan.metrics.restoration import ssim
from tfgan.metrics.restoration import to_luma
from tfgan.metrics.statistics import FeatureStatistics
from tfgan.metrics.super_resolution import bicubic_upscale
from tfgan.metrics.super_resolution import evaluate_super_resolution
from tfgan.metrics.super_resolution import pairs_as_arrays
from tfgan.metrics.text_image import attribute_agreement
from tfgan.metrics.text_image import caption_candidates
from tfgan.metrics.text_image import digit_accuracy
from tfgan.metrics.text_image import discriminator_scorer
from tfgan.metrics.text_image import evaluate_captioned_mnist
from tfgan.metrics.text_image import r_precision
from tfgan.metrics.text_image import text_image_r_precision
