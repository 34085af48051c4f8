from tfgan.cli.main import main
from tfgan.utils import save_grid


def test_report_of_a_run_directory(tmp_path, capsys):
    # The layout `tfgan train` writes: history.csv (CSVLogger, NA for missing values) and
    # samples/last.png.
    run = tmp_path / "run"
    (run / "samples").mkdir(parents=True)
    (run / "history.csv").write_text("epoch,d_loss,fid,g_loss\n0,1.4,NA,0.6\n1,1.3,12.5,0.7\n")
    save_grid([[[[-1.0]], [[1.0]]]], run / "samples" / "last.png")
    assert main(["report", str(run)]) == 0
    printed = capsys.readouterr().out
    assert f"curves: {run / 'report' / 'curves.png'}" in printed
    assert (run / "report" / "last_grid.png").read_bytes() == \
        (run / "samples" / "last.png").read_bytes()
    text = (run / "report" / "report.md").read_text()
    assert "| fid | 12.5 |" in text and "| g_loss | 0.7 |" in text


def test_report_of_an_empty_directory(tmp_path, capsys):
    assert main(["report", str(tmp_path)]) == 2
    assert "No history" in capsys.readouterr().err
