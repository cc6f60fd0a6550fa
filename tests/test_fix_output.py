"""What `fix` writes and says, on small real files: qualified function names, one
`from typing import`, tests and docs left alone, an installed copy shadowing the project."""

import json
import textwrap

from conftest import lazyaudit
from test_targets import write

HELPER = """\
    from __future__ import annotations

    from typing import (
        cast,
        Optional,  # kept with its comment
    )
    import decimal


    class CreateHelper:
        def __init__(self) -> None:
            self.amount = decimal.Decimal(1)

        def build(self, value: decimal.Decimal) -> Optional[int]:
            return cast(int, value)


    class DeleteHelper:
        def __init__(self) -> None:
            self.amount = decimal.Decimal(2)
    """


def test_the_summary_names_each_function_with_its_class(tmp_path):
    write(tmp_path / "helpers.py", HELPER)
    result = lazyaudit("fix", "--select", "decimal", "--project", tmp_path, "--format", "json")
    assert result.code == 0, result
    change = result.json()["changes"][0]["change"]
    assert "decimal into CreateHelper.__init__(); decimal into DeleteHelper.__init__()" in change


def test_an_existing_from_typing_import_is_extended(tmp_path):
    write(tmp_path / "helpers.py", HELPER)
    assert lazyaudit("fix", "--select", "decimal", "--project", tmp_path).code == 0
    text = (tmp_path / "helpers.py").read_text()
    assert text.count("from typing import") == 1
    assert textwrap.dedent("""\
        from typing import (
            cast,
            TYPE_CHECKING,
            Optional,  # kept with its comment
        )
        if TYPE_CHECKING:
            import decimal
        """) in text


def test_select_leaves_tests_and_docs_alone_unless_named(tmp_path):
    uses = "import json\n\n\ndef dump():\n    return json.dumps(1)\n"
    for name in ("app.py", "tests/test_app.py", "docs/conf_helper.py", "app/conftest.py"):
        write(tmp_path / name, uses)
    result = lazyaudit("fix", "--select", "json", "--project", tmp_path, "--format", "json",
                       "--dry-run")
    assert result.code == 0, result
    outcome = result.json()
    assert outcome["files"] == ["app.py"]
    assert {item["file"] for item in outcome["left_alone"]} == {
        "tests/test_app.py", "docs/conf_helper.py", "app/conftest.py"}
    named = lazyaudit("fix", "--select", "json", "--project", tmp_path, "--dry-run",
                      "--format", "json", "tests", cwd=tmp_path)
    assert named.code == 0, named
    assert named.json()["files"] == ["tests/test_app.py"]


def test_an_installed_copy_that_shadows_the_project_is_named(tmp_path):
    write(tmp_path / "site" / "shop" / "__init__.py", "import colorsys\n")
    write(tmp_path / "project" / "shop" / "__init__.py", "import json\n")
    write(tmp_path / "project" / "app.py", f"import sys\nsys.path.insert(0, "
                                           f"{str(tmp_path / 'site')!r})\nimport shop\n")
    result = lazyaudit("measure", "-m", "app", "--project", tmp_path / "project",
                       "--no-tracemalloc", "--format", "json")
    assert result.code == 0, result
    warnings = json.loads(result.out)["warnings"]
    assert any(warning.startswith(f"shop is imported from {tmp_path / 'site'}")
               for warning in warnings), warnings
