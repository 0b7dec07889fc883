"""Making a SQLite file unwritable for real, even for root (where chmod alone does not bind)."""

from __future__ import annotations

import os
import sqlite3
import subprocess
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

import pytest


def _writable(path: Path) -> bool:
    try:
        with sqlite3.connect(path) as conn:
            conn.execute("CREATE TABLE write_probe (x INTEGER)")
            conn.rollback()
    except sqlite3.OperationalError:
        return False
    return True


@contextmanager
def read_only_file(path: Path) -> Iterator[None]:
    """`path` read-only (chmod, plus the immutable attribute as root) until exit; skips when that can't be done."""
    mode = path.stat().st_mode
    immutable = False
    try:
        path.chmod(0o444)
        if os.geteuid() == 0:
            immutable = subprocess.run(["chattr", "+i", str(path)], capture_output=True, check=False).returncode == 0
        if _writable(path):
            pytest.skip(f"can't make {path} read-only here (chmod and chattr do not bind)")
        yield
    finally:
        if immutable:
            subprocess.run(["chattr", "-i", str(path)], capture_output=True, check=True)
        path.chmod(mode)
