"""What-if boots confirm what the ranking promises before `fix` writes a line: a
candidate a boot does not confirm is `refuted`, and never fixed."""

from conftest import SAMPLE, lazyaudit
from test_targets import write


def test_the_sample_projects_candidates_are_confirmed():
    result = lazyaudit("rank", "--project", SAMPLE, "--confirm", "--no-tracemalloc",
                       "--format", "json")
    assert result.code == 0, result
    ranking = result.json()
    candidates = {c["module"]: c for c in ranking["candidates"]}
    for name in ("pandas", "boto3"):
        confirmation = candidates[name]["confirmation"]
        assert candidates[name]["verdict"] == "safe" and confirmation["confirmed"], confirmation
        assert confirmation["still_loaded"] == []
    assert "confirmation" not in candidates["numpy"]          # unsafe: nothing to boot
    together = ranking["deferral"]["confirmation"]
    assert together["confirmed"] and together["modules"] == ["pandas", "boto3"]
    table = lazyaudit("rank", "--project", SAMPLE, "--confirm", "--no-tracemalloc")
    assert "measured MiB" in table.out
    assert "a what-if boot of pandas, boto3 together (estimated" in table.out
    assert ": confirmed" in table.out


def hidden_loader(root):
    """colorsys is imported at one safe site; a plugin loader imports it by name only
    when it is not loaded yet, which in the measured boot it always is. The import graph
    cannot see that door: only a boot of the rewrite shows that deferring frees nothing."""
    write(root / "app.py", "import views\nimport plugins\n")
    write(root / "views.py", "import colorsys\n\n\ndef hue(r, g, b):\n"
                             "    return colorsys.rgb_to_hsv(r, g, b)[0]\n")
    write(root / "plugins.py", "import importlib\nimport sys\n\n"
                               "NAME = 'color' + 'sys'\n"
                               "if NAME not in sys.modules:\n"
                               "    importlib.import_module(NAME)\n")
    return root


def test_a_boot_refutes_what_the_graph_cannot_see_and_fix_leaves_it(tmp_path):
    project = hidden_loader(tmp_path)
    options = ["--project", project, "-m", "app", "--no-tracemalloc", "--min-savings", "0"]
    plain = lazyaudit("rank", *options, "--format", "json")
    assert {c["module"]: c["verdict"] for c in plain.json()["candidates"]}["colorsys"] == "safe"

    confirmed = lazyaudit("rank", *options, "--confirm", "--format", "json")
    assert confirmed.code == 0, confirmed
    colorsys = {c["module"]: c for c in confirmed.json()["candidates"]}["colorsys"]
    assert colorsys["verdict"] == "refuted" and colorsys["code"] == "LA303", colorsys
    assert colorsys["confirmation"]["still_loaded"] == ["colorsys"]
    assert "still loaded colorsys" in colorsys["reason"]

    fix = lazyaudit("fix", *options, "--dry-run", "--format", "json")
    assert fix.code == 0, fix
    outcome = fix.json()
    assert outcome["changes"] == []
    assert [(i["module"], i["code"]) for i in outcome["left_alone"]] == [("colorsys", "LA303")]
    unconfirmed = lazyaudit("fix", *options, "--dry-run", "--no-confirm", "--format", "json")
    assert unconfirmed.json()["files"] == ["views.py"]


def test_a_rewrite_that_breaks_the_boot_is_refuted(tmp_path):
    # exec() uses the name at import time where no analysis can see it: moving the import
    # breaks the boot, which the what-if boot finds before fix writes anything.
    write(tmp_path / "app.py", "import colorsys\n\n\ndef hue(r, g, b):\n"
                               "    return colorsys.rgb_to_hsv(r, g, b)[0]\n\n\n"
                               "exec('assert colorsys')\n")
    result = lazyaudit("rank", "--project", tmp_path, "-m", "app", "--no-tracemalloc",
                       "--min-savings", "0", "--confirm", "--format", "json")
    assert result.code == 0, result
    colorsys = {c["module"]: c for c in result.json()["candidates"]}["colorsys"]
    assert colorsys["verdict"] == "refuted", colorsys
    assert "did not boot" in colorsys["reason"] and "NameError" in colorsys["reason"]
    assert "NameError" in colorsys["confirmation"]["error"]
