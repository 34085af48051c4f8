"""Export generators to SavedModel and ONNX, with metadata and verified parity."""

from tfgan.export.exporter import DEFAULT_FORMATS
from tfgan.export.exporter import FORMATS
from tfgan.export.exporter import ExportParityError
from tfgan.export.exporter import check_destination
from tfgan.export.exporter import export_generator
from tfgan.export.exporter import verify_parity
from tfgan.export.monitor import MonitorError
from tfgan.export.monitor import monitor_export
from tfgan.export.runtime import ExportedGenerator
from tfgan.export.runtime import ExportIntegrityError
from tfgan.export.runtime import load_generator
from tfgan.export.runtime import read_metadata
from tfgan.export.signature import GeneratorSignature
from tfgan.export.signature import describe
from tfgan.export.text_to_image import export_text_to_image
from tfgan.export.text_to_image import verify_text_parity
