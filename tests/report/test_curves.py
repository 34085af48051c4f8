import numpy as np
import pytest
from PIL import Image

from tfgan import report
from tfgan.report import curves


def test_panels_group_losses_and_scores():
    nan = float("nan")
    history = {"epoch": [0, 1], "d_loss": [1, 2], "fid": [nan, 4], "g_loss": [2, 1],
               "real_score": [0, 1], "fake_score": [1, 0], "val_g_loss": [3, 2],
               "val_fake_score": [nan, nan], "val_fid": [1, 1], "train_seconds": [5, 9],
               "epoch_seconds": [5, 4]}
    assert curves.panels(history) == [["d_loss", "g_loss", "val_g_loss"],
                                      ["real_score", "fake_score"], ["fid", "val_fid"],
                                      ["epoch_seconds"]]


def test_curves_pass_through_their_points():
    series = {"d_loss": [0.0, 1.0, 0.5], "g_loss": [2.0, 1.5, 1.0]}
    image, to_pixel = curves.draw_panel(series, [1, 2, 3])
    pixels = np.array(image)
    for i, (name, values) in enumerate(series.items()):
        for epoch, value in zip([1, 2, 3], values):
            x, y = (int(round(c)) for c in to_pixel(epoch, value))
            window = pixels[y - 1:y + 2, x - 1:x + 2].reshape(-1, 3)
            assert any((p == curves.COLORS[i]).all() for p in window), (name, epoch)
    # The y-axis spans the data: the highest value sits on the top edge of the frame.
    assert to_pixel(1, 2.0)[1] == pytest.approx(curves.MARGIN[1])


def test_save_from_csv_logger_file(tmp_path):
    (tmp_path / "history.csv").write_text(
        "epoch,d_loss,fake_score,g_loss,real_score,fid,val_d_loss\n0,1.3,0.1,0.7,0.2,NA,NA\n"
        "1,1.2,-0.1,0.8,0.4,3.5,NA\n")
    history = report.read_history(tmp_path / "history.csv")
    assert history["g_loss"] == [0.7, 0.8] and history["epoch"] == [0.0, 1.0]
    assert "val_d_loss" not in history  # CSVLogger's placeholder, NA in every row
    assert np.isnan(history["fid"][0]) and history["fid"][1] == 3.5
    report.save_loss_curves(tmp_path / "history.csv", tmp_path / "curves.png")
    with Image.open(tmp_path / "curves.png") as image:
        assert image.size == (2 * curves.PANEL_SIZE[0], 2 * curves.PANEL_SIZE[1])


def test_empty_history_is_an_error():
    with pytest.raises(ValueError, match="no curves"):
        report.plot_history({"epoch": [0]})
