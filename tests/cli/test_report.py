import pytest

from tfgan.cli.main import main


def test_report_of_a_trained_run(tmp_path, capsys):
    run = tmp_path / "run"
    assert main(["train", "--epochs", "2", "--steps-per-epoch", "1", "--batch-size", "4",
                 "--latent-dim", "8", "--out", str(run), "--verbose", "0"]) == 0
    assert main(["report", str(run)]) == 0
    printed = capsys.readouterr().out
    assert f"curves: {run / 'report' / 'curves.png'}" in printed
    assert (run / "report" / "last_grid.png").read_bytes() == \
        (run / "samples" / "last.png").read_bytes()
    assert "| d_loss |" in (run / "report" / "report.md").read_text()


def test_report_of_an_empty_directory(tmp_path):
    with pytest.raises(SystemExit, match="No history"):
        main(["report", str(tmp_path)])
