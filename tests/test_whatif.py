"""The what-if boot runs what `fix` would write: a copy of the project with the real
rewrite, never stand-ins for modules, and never a change to the project itself."""

import hashlib

from conftest import lazyaudit
from test_targets import write


def fingerprint(root):
    return {path.relative_to(root): hashlib.sha256(path.read_bytes()).hexdigest()
            for path in sorted(root.rglob("*")) if path.is_file()}


def test_a_deferred_module_used_as_a_base_class_elsewhere_still_boots(tmp_path):
    # models.py needs Decimal at import time (a base class): that import stays, and the
    # boot must see the real class. views.py uses it only in a function: that one moves.
    write(tmp_path / "shop" / "__init__.py", "from . import models, views\n")
    write(tmp_path / "shop" / "models.py", """\
        from decimal import Decimal

        class Money(Decimal):
            pass

        assert type(Money) is type and Money.__mro__[1] is Decimal, Money.__mro__
        """)
    write(tmp_path / "shop" / "views.py", """\
        import decimal
        import colorsys

        def price(text):
            return decimal.Decimal(text)

        def hue(r, g, b):
            return colorsys.rgb_to_hsv(r, g, b)[0]
        """)
    before = fingerprint(tmp_path)
    result = lazyaudit("measure", "-m", "shop", "--project", tmp_path, "--defer",
                       "decimal,colorsys", "--no-tracemalloc", "--format", "json")
    assert result.code == 0, result
    what_if = result.json()["what_if"]
    assert what_if["still_loaded"] == ["decimal"]      # models.py keeps loading it
    assert {(site["module"], site["file"]) for site in what_if["sites"]} == {
        ("decimal", "shop/views.py"), ("colorsys", "shop/views.py")}
    assert fingerprint(tmp_path) == before              # the project itself is untouched

