"""rank's verdicts on a small real project booted for real (tests/rank_project).

A framework that loads its own modules, a library whose submodules load each
other, private against shared memory, two imports of one module in one file,
and a script target.
"""

import json

import pytest

from conftest import ROOT, lazyaudit

PROJECT = ROOT / "tests" / "rank_project"
ENV = {"PYTHONPATH": str(PROJECT / "site")}
MiB = 2**20


def shown(table: str) -> list[str]:
    """The modules of the table's rows."""
    return [line.split()[0] for line in table.splitlines()[5:]
            if line[:1].isalpha() and not line.startswith("deferring ")]


def rank(*args):
    return lazyaudit("rank", "--project", PROJECT / "proj", "--no-tracemalloc", *args,
                     env=ENV, cwd=PROJECT / "proj")


@pytest.fixture(scope="module")
def saved(tmp_path_factory):
    path = tmp_path_factory.mktemp("verdicts") / "report.json"
    result = lazyaudit("measure", "--project", PROJECT / "proj", "-m", "app",
                       "--no-tracemalloc", "--format", "json", "-o", path, env=ENV)
    assert result.code == 0, result
    return path


@pytest.fixture(scope="module")
def ranked(saved):
    return {c["module"]: c for c in json.loads(saved.read_text())["candidates"]}


def test_what_the_framework_loads_itself_is_no_gain(ranked):
    # fw is loaded by the entry point (and imported by fw.conf too); deferring the
    # project's import of fw.conf frees nothing.
    conf = ranked["fw.conf"]
    assert conf["verdict"] == "no-gain"
    assert conf["code"] == "LA301" and conf["loaded_by"] == "fw"
    assert conf["savings"]["rss_bytes"] == 0


def test_a_safe_site_beside_an_unsafe_one_in_the_same_file_is_no_gain(ranked):
    mid = ranked["mid"]
    assert [site["verdict"] for site in mid["sites"]] == ["safe", "unsafe"]
    assert mid["verdict"] == "no-gain"
    assert mid["code"] == "LA302"
    assert mid["reason"].startswith("loaded by app.mixed (app/mixed.py:2: TABLE is used at "
                                    "import time")
    # moving both would free it: shown, as unsafe ones are
    assert mid["potential_rss_anon_bytes"] > 6 * MiB and mid["notable"]


def test_a_module_only_another_safe_candidate_loads_is_judged_with_it(ranked):
    server, webauthn = ranked["hv.server"], ranked["hv.webauthn"]
    assert server["verdict"] == webauthn["verdict"] == "safe"
    assert webauthn["together_with"] == ["hv.server"] and server["together_with"] == []
    # each is credited with its own module: 8 and 12 MiB of private memory
    assert 6 * MiB < server["savings"]["rss_anon_bytes"] < 10 * MiB
    assert 10 * MiB < webauthn["savings"]["rss_anon_bytes"] < 14 * MiB


def test_ranked_by_private_memory_with_shared_beside_it(ranked, saved):
    prv, shr = ranked["prv"], ranked["shr"]
    assert shr["savings"]["rss_file_bytes"] > 12 * MiB > shr["savings"]["rss_anon_bytes"]
    assert prv["savings"]["rss_anon_bytes"] > 10 * MiB
    order = list(ranked)
    assert order.index("prv") < order.index("shr")
    assert not shr["notable"] and prv["notable"]
    document = json.loads(saved.read_text())
    deferral = document["deferral"]["savings"]
    assert deferral["rss_anon_bytes"] > 30 * MiB


def test_the_table_shows_what_saves_enough_and_counts_the_rest(saved):
    table = lazyaudit("rank", "--report", saved)
    assert table.code == 0, table
    assert shown(table.out) == ["hv.webauthn", "prv", "hv.server", "fw", "mid"], table.out
    assert "2 more candidates would save less than 1.0 MiB private per worker" in table.out
    assert "deferring all 4 safe candidates together saves 3" in table.out
    everything = lazyaudit("rank", "--report", saved, "--all")
    assert "shr " in everything.out and "fw.conf " in everything.out
    assert "not shown" not in everything.out


def test_min_savings_is_an_option_of_rank_and_measure(saved):
    table = lazyaudit("rank", "--report", saved, "--min-savings", "10MiB")
    assert shown(table.out)[:2] == ["hv.webauthn", "prv"], table.out
    assert "hv.server" not in shown(table.out)
    bad = lazyaudit("rank", "--report", saved, "--min-savings", "lots")
    assert bad.code == 2 and bad.err.startswith("lazyaudit: error: --min-savings")
    measured = lazyaudit("measure", "--project", PROJECT / "proj", "-m", "app",
                         "--no-tracemalloc", "--top", "0", "--min-savings", "20MiB", env=ENV)
    assert measured.code == 0, measured
    lines = measured.out.splitlines()
    assert lines[0] == f"module:app on Python {lines[0].split()[-1]}"
    assert lines[2].startswith("startup RSS")        # no module table
    assert "(no import would save 20.0 MiB private per worker or more)" in measured.out


def test_fix_defers_a_candidate_with_what_it_needs(saved):
    result = lazyaudit("fix", "--project", PROJECT / "proj", "--report", saved, "--dry-run",
                       "--format", "json", "--min-savings", "10MiB")
    assert result.code == 0, result
    outcome = result.json()
    moved = {module for change in outcome["changes"] for module in change["modules"]}
    # hv.server saves 8 MiB alone, but hv.webauthn (12 MiB) goes only with it
    assert moved == {"hv.webauthn", "hv.server", "prv"}
    codes = {(item["module"], item["code"]) for item in outcome["left_alone"]}
    assert ("shr", "LA401") in codes and ("fw.conf", "LA301") in codes
    assert ("mid", "LA206") in codes


def test_a_script_is_the_projects_own_code():
    result = rank("--script", "run.py", "--format", "json")
    assert result.code == 0, result
    ranked = {c["module"]: c for c in result.json()["candidates"]}
    prv = ranked["prv"]
    assert prv["verdict"] == "safe"
    assert prv["sites"][0]["file"] == "run.py"
    assert prv["savings"]["rss_anon_bytes"] > 10 * MiB


def test_what_if_boots_confirm_the_verdicts(ranked):
    """Every safe candidate's estimate holds in a real boot with it deferred, and a
    module the framework loads anyway stays loaded."""
    safe = sorted(name for name, c in ranked.items() if c["verdict"] == "safe" and c["notable"])
    assert safe == ["hv.server", "hv.webauthn", "prv"]
    result = lazyaudit("measure", "--project", PROJECT / "proj", "-m", "app",
                       "--no-tracemalloc", "--repeat", "3", "--defer", ",".join(safe),
                       "--format", "json", env=ENV)
    assert result.code == 0, result
    what_if = result.json()["what_if"]
    assert what_if["still_loaded"] == []
    measured = what_if["measured_drop"]["rss_anon_bytes"]
    estimated = sum(ranked[name]["savings"]["rss_anon_bytes"] for name in safe)
    assert abs(measured - estimated) <= 0.15 * estimated, (measured, estimated)

    framework = lazyaudit("measure", "--project", PROJECT / "proj", "-m", "app",
                          "--no-tracemalloc", "--defer", "fw.conf", "--format", "json", env=ENV)
    assert framework.code == 0, framework
    assert framework.json()["what_if"]["still_loaded"] == ["fw.conf"]
