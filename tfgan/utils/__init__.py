"""Small shared utilities."""

from tfgan.utils.images import make_grid
from tfgan.utils.images import save_grid
from tfgan.utils.images import save_image
from tfgan.utils.images import save_side_by_side
from tfgan.utils.images import to_uint8
from tfgan.utils.io import atomic_write
from tfgan.utils.io import atomic_write_bytes
from tfgan.utils.io import replace_directory
from tfgan.utils.io import save_model
from tfgan.utils.schedules import LinearDecay
