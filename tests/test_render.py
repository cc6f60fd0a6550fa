"""Every renderer on one real report, the typed report round-tripping through JSON, and
the output format following `-o FILE`'s extension."""

import json

import pytest

from conftest import lazyaudit
from lazyaudit.model import ImportReport
from lazyaudit.render import RENDERERS, formats, render


def test_the_report_round_trips_through_its_json(sample_report):
    assert sample_report["candidates"], "the sample boot ranks its imports"
    assert ImportReport.from_json(sample_report).to_json() == sample_report


@pytest.mark.parametrize("document,fmt", [key for key in RENDERERS
                                          if key[0] in ("report", "ranking")])
def test_every_renderer_renders_the_sample_report(sample_report, document, fmt):
    text = render(document, fmt, ImportReport.from_json(sample_report), top=5, by="module")
    assert "pandas" in text
    if fmt == "json":
        assert json.loads(text)["candidates"] == sample_report["candidates"]


def test_each_document_offers_its_own_formats():
    assert formats("report") == ("table", "json", "markdown", "html")
    assert formats("ranking") == formats("check") == formats("fix") == (
        "table", "json", "markdown")


def test_the_output_file_chooses_the_format(sample_report, tmp_path):
    saved = tmp_path / "saved.json"
    saved.write_text(json.dumps(sample_report))
    for name, starts in [("out.json", "{"), ("out.md", "### Startup imports"),
                         ("out.html", "<!DOCTYPE html>"), ("out.txt", "django:shop.settings")]:
        result = lazyaudit("report", saved, "-o", tmp_path / name)
        assert result.code == 0, result
        assert (tmp_path / name).read_text().startswith(starts), name
    assert json.loads((tmp_path / "out.json").read_text()) == sample_report
    explicit = lazyaudit("report", saved, "--format", "table", "-o", tmp_path / "table.json")
    assert explicit.code == 0, explicit
    assert (tmp_path / "table.json").read_text().startswith("django:shop.settings")
