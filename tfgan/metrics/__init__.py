"""tfgan.metrics."""

from tfgan.metrics.modes import mode_coverage
