"""Runs every check the project has, in order, and stops at the first failure.

Usage: ./sous test [pytest args]   (extra arguments go to pytest)
"""

from __future__ import annotations

import shutil
import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
SOURCES = ["services/tools/src", "services/signaling/src", "services/media-agent/src"]


def run(title: str, cmd: list[str], cwd: Path = ROOT) -> None:
    print(f"\n=== {title}: {' '.join(cmd)}", flush=True)
    code = subprocess.call(cmd, cwd=cwd)
    if code != 0:
        print(f"=== {title} failed (exit {code})", flush=True)
        sys.exit(code)


def main() -> None:
    pytest_args = sys.argv[1:]
    run("ruff lint", ["ruff", "check", "."])
    run("ruff format", ["ruff", "format", "--check", "."])
    run("mypy", ["mypy", *SOURCES])
    frontend = ROOT / "frontend"
    if (frontend / "package.json").exists() and shutil.which("npm"):
        run("frontend lint+types", ["npm", "run", "--silent", "check"], cwd=frontend)
        run("frontend unit tests", ["npm", "test", "--silent"], cwd=frontend)
    run("pytest", [sys.executable, "-m", "pytest", *pytest_args])


if __name__ == "__main__":
    main()
