import numpy as np

from tfgan import report
from tfgan.callbacks import health_findings
from tfgan.cli.main import main
from tfgan.report import curves

nan = float("nan")


def messages(history, **kwargs):
    return [f["message"] for f in health_findings(history, **kwargs)]


def test_discriminator_wins_need_consecutive_epochs():
    rates = [0.2, 0.95, 1.0, 0.9, 0.5, 1.0, 1.0, 0.91]
    history = {"epoch": list(range(8)), "d_win_rate": rates}
    # Epochs 2-4 won (3 in a row); 6-8 won and still going; a win rate of 0.89 is not a win.
    assert messages(history) == ["D won outright in epochs 2-4", "D wins outright since epoch 6"]
    assert messages(history, win_epochs=4) == []
    assert messages({"d_win_rate": rates[:-1] + [0.89]}) == ["D won outright in epochs 2-4"]
    found = health_findings(history)
    assert [(f["kind"], f["epoch"]) for f in found] == [("d_wins", 2), ("d_wins", 6)]


def test_collapse_against_the_first_epoch_and_the_real_images():
    history = {"diversity": [1.2, 1.0, 0.9, 0.2, 0.25, 1.0]}
    # 0.2 < 0.2 * 1.2: a fall of 83%; it recovers at epoch 6, so one finding.
    assert messages(history) == ["diversity fell 83% at epoch 4 (collapse?)"]
    assert messages(history, collapse_fraction=0.1) == []
    # Low from the start: judged against the real images' diversity (1).
    assert messages({"diversity": [0.05, 0.1, 0.3]}) == [
        "diversity at 5% of the real images' at epoch 1 (collapse?)"]
    assert messages({"diversity": [nan, 0.5, 0.05]}) == [
        "diversity fell 90% at epoch 3 (collapse?)"]


def test_losses_diverge_when_non_finite_or_growing_by_the_factor():
    assert messages({"d_loss": [1.4, 1.2, 1.3], "g_loss": [0.7, 6.9, 10.5]}) == [
        "g_loss grew to 10.5 at epoch 3, from 0.7 at the first (diverging?)"]
    assert messages({"d_loss": [1.4, 1.2, 1.3], "g_loss": [0.7, 6.9, 10.5]},
                    divergence_factor=11) == []
    # |loss| grows by the factor of max(|first|, 1): a loss near 0 may grow to 10.
    assert messages({"d_loss": [-0.01, -9.9]}) == []
    # One finding per onset: epoch 2's NaN, then epoch 4's Inf after a finite epoch 3.
    assert messages({"d_loss": [1.0, nan, 1.0, 1.0], "g_loss": [1.0, 1.0, 1.0, float("inf")]}
                    ) == ["d_loss is nan at epoch 2 (diverged)",
                          "g_loss is inf at epoch 4 (diverged)"]


def test_panels_group_health_values_and_hide_the_flags():
    history = {"d_loss": [1, 2], "g_loss": [2, 1], "d_win_rate": [0, 1],
               "d_real_accuracy": [0.5, 1], "d_fake_accuracy": [0.5, 1],
               "g_grad_norm": [1, 2], "d_grad_norm": [2, 1], "diversity": [1, 0.5],
               "warn_d_wins": [0, 1], "warn_collapse": [0, 0]}
    assert curves.panels(history) == [
        ["d_loss", "g_loss"], ["d_real_accuracy", "d_fake_accuracy", "d_win_rate"],
        ["d_grad_norm", "g_grad_norm"], ["diversity"]]


def test_markers_are_drawn_at_their_epoch():
    image, to_pixel = curves.draw_panel({"diversity": [1.0, 0.9, 0.1]}, [1, 2, 3],
                                        markers=[2, 7])
    pixels = np.array(image)
    marked = np.all(pixels == curves.MARKER_COLOR, axis=-1)
    columns = set(np.nonzero(marked)[1])
    assert columns == {int(to_pixel(2, 0.0)[0])}  # epoch 7 is out of range: not drawn
    assert marked.sum() > 50  # a dashed line over the panel's height


def _run(tmp_path, rows):
    run = tmp_path / "run"
    run.mkdir()
    header = "epoch,d_loss,d_win_rate,diversity,g_loss,warn_collapse,warn_d_wins\n"
    (run / "history.csv").write_text(header + "".join(
        ",".join(str(v) for v in row) + "\n" for row in rows))
    return run


def test_report_names_what_it_sees(tmp_path, capsys):
    rows = [(e, 1.3, 0.1 if e < 2 else 1.0, 1.0 if e < 4 else 0.1, 0.7, 0, 0)
            for e in range(6)]
    run = _run(tmp_path, rows)
    summary = report.make_report(run)
    assert summary["health"]["measured"]
    assert [f["message"] for f in summary["health"]["findings"]] == [
        "D wins outright since epoch 3", "diversity fell 90% at epoch 5 (collapse?)"]
    text = (run / "report" / "report.md").read_text()
    assert ("## Training health\n\n- D wins outright since epoch 3\n"
            "- diversity fell 90% at epoch 5 (collapse?)\n") in text
    assert main(["report", str(run)]) == 0
    printed = capsys.readouterr().out
    assert "health: D wins outright since epoch 3\n" in printed
    assert "health: diversity fell 90% at epoch 5 (collapse?)\n" in printed


def test_report_of_a_healthy_run(tmp_path):
    run = _run(tmp_path, [(e, 1.3, 0.0, 0.8, 0.7, 0, 0) for e in range(3)])
    summary = report.make_report(run)
    assert summary["health"] == {"measured": True, "findings": []}
    assert "## Training health\n\nNo warnings" in (run / "report" / "report.md").read_text()


def test_report_without_health_values_has_no_section(tmp_path):
    run = tmp_path / "run"
    run.mkdir()
    (run / "history.csv").write_text("epoch,d_loss,g_loss\n0,1.5,0.5\n1,1.25,0.75\n")
    summary = report.make_report(run)
    assert summary["health"] == {"measured": False, "findings": []}
    assert "Training health" not in (run / "report" / "report.md").read_text()
