import json

import numpy as np
import pytest
from PIL import Image

from tfgan import report
from tfgan.utils import save_grid


def test_report_from_a_run_directory(tmp_path):
    run = tmp_path / "run"
    (run / "samples").mkdir(parents=True)
    (run / "history.csv").write_text("epoch,d_loss,g_loss\n0,1.5,0.5\n1,1.25,0.75\n")
    grid = np.random.default_rng(0).uniform(-1, 1, (4, 8, 8, 1))
    save_grid(grid, run / "samples" / "last.png")
    save_grid(-grid, run / "samples" / "epoch_0001.png")
    records = [{"epoch": 1, "name": "fid100", "value": 30.0, "protocol": {"seed": 0}},
               {"epoch": 2, "name": "fid100", "value": 20.0, "protocol": {"seed": 0}}]
    (run / "fid.jsonl").write_text("\n".join(json.dumps(r) for r in records) + "\n")
    summary = report.make_report(run)
    out = run / "report"
    assert summary["epochs"] == 2 and summary["last"] == {"d_loss": 1.25, "g_loss": 0.75}
    assert summary["fid"]["best"]["value"] == 20.0
    assert json.loads((out / "report.json").read_text()) == summary
    with Image.open(out / "last_grid.png") as a, Image.open(run / "samples/last.png") as b:
        np.testing.assert_array_equal(np.array(a), np.array(b))
    assert (out / "curves.png").exists()
    text = (out / "report.md").read_text()
    assert "| g_loss | 0.75 |" in text and "Best fid100: 20 at epoch 2" in text


def test_empty_directory_is_an_error(tmp_path):
    with pytest.raises(FileNotFoundError, match="No history"):
        report.make_report(tmp_path)
