"""Distributions of the installed modules, read from the files pip writes, and cached by
the site folders' modification times."""

from lazyaudit.classify import top_level_distributions


def install(site, name, tops):
    info = site / f"{name}-1.0.dist-info"
    info.mkdir()
    (info / "METADATA").write_text(f"Metadata-Version: 2.1\nName: {name}\nVersion: 1.0\n\n"
                                   "Name: not this one, the body\n")
    (info / "top_level.txt").write_text("\n".join(tops) + "\n")


def test_a_new_distribution_is_seen_although_the_mapping_is_cached(tmp_path, monkeypatch):
    monkeypatch.setenv("LAZYAUDIT_CACHE_DIR", str(tmp_path / "cache"))
    site = tmp_path / "site-packages"
    site.mkdir()
    install(site, "Shop-Utils", ["shoputils"])
    assert top_level_distributions([str(site)]) == {"shoputils": "Shop-Utils"}
    assert list((tmp_path / "cache").iterdir())                 # written
    assert top_level_distributions([str(site)]) == {"shoputils": "Shop-Utils"}
    install(site, "pay", ["payments", "pay_compat"])
    assert top_level_distributions([str(site)]) == {
        "shoputils": "Shop-Utils", "payments": "pay", "pay_compat": "pay"}


def test_names_from_the_record_when_there_is_no_top_level_txt(tmp_path, monkeypatch):
    monkeypatch.setenv("LAZYAUDIT_CACHE_DIR", str(tmp_path / "cache"))
    info = tmp_path / "site-packages" / "tool-2.0.dist-info"
    info.mkdir(parents=True)
    (info / "METADATA").write_text("Metadata-Version: 2.1\nName: tool\n\n")
    (info / "RECORD").write_text("tool/__init__.py,sha256=x,10\nhelper.py,sha256=y,5\n"
                                 '"odd,name.py",sha256=z,1\ntool-2.0.dist-info/METADATA,,\n'
                                 "../../bin/tool,,\n")
    assert top_level_distributions([str(tmp_path / "site-packages")]) == {
        "tool": "tool", "helper": "tool"}
