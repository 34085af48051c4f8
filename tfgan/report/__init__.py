"""Reports: loss-curve plots (Pillow) and run-directory reports."""

from tfgan.report.curves import plot_history
from tfgan.report.curves import read_history
from tfgan.report.curves import save_loss_curves
from tfgan.report.run_report import make_report
