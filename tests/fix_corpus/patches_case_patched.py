"""Patches heavypkg in case_patched by name, as tests often do."""

from unittest import mock


def patched_result():
    with mock.patch("case_patched.heavypkg") as fake:
        fake.compute.return_value = 0
        import case_patched
        return case_patched.main()
