"""The only code that writes user files: turn safe candidates into deferred imports.

plan (which names to move; no libcst) -> rewrite (libcst, in memory) -> files
(atomic writes inside the project root) -> summary (what was done, for people).
"""
