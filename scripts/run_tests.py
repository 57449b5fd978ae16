"""Runs every check the project has, in order, and stops at the first failure.

Usage: ./sous test [pytest args]   (extra arguments go to pytest)
"""

from __future__ import annotations

import json
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


def audit_dependencies(frontend: Path) -> None:
    """pip-audit (and npm audit --omit=dev): fail on a known vulnerability. Accepted findings and
    what happens when the advisory services cannot be reached: docs/reliability.md."""
    print("\n=== dependency audit: pip-audit, npm audit --omit=dev", flush=True)
    report = subprocess.run(
        ["pip-audit", "--skip-editable", "--format", "json", "--progress-spinner", "off"],
        cwd=ROOT, capture_output=True, text=True, check=False,
    )  # fmt: skip
    dependencies = json.loads(report.stdout or "{}").get("dependencies", [])
    vulnerable = [d for d in dependencies if d.get("vulns")]
    audited = [d for d in dependencies if "skip_reason" not in d]
    print(f"pip-audit: {len(audited)} of {len(dependencies)} packages audited", flush=True)
    if len(audited) < len(dependencies):
        print("pip-audit: the others were skipped (advisory data not reachable from here)")
    for dependency in vulnerable:
        ids = ", ".join(v["id"] for v in dependency["vulns"])
        print(f"VULNERABLE: {dependency['name']} {dependency['version']}: {ids}", flush=True)
    if report.returncode != 0 and not vulnerable:
        print(report.stderr, flush=True)
        sys.exit(report.returncode)
    npm_vulnerabilities = 0
    if (frontend / "package-lock.json").exists() and shutil.which("npm"):
        npm = subprocess.run(
            ["npm", "audit", "--omit=dev", "--json"],
            cwd=frontend, capture_output=True, text=True, check=False,
        )  # fmt: skip
        result = json.loads(npm.stdout or "{}")
        if "vulnerabilities" in result.get("metadata", {}):
            npm_vulnerabilities = sum(result["metadata"]["vulnerabilities"].values())
            print(f"npm audit: {npm_vulnerabilities} vulnerable runtime packages", flush=True)
        else:
            print(f"npm audit: advisory service not reachable ({result.get('message', '?')})")
    if vulnerable or npm_vulnerabilities:
        print("=== dependency audit failed", flush=True)
        sys.exit(1)


def main() -> None:
    pytest_args = sys.argv[1:]
    run("ruff lint", ["ruff", "check", "."])
    run("ruff format", ["ruff", "format", "--check", "."])
    run("mypy", ["mypy", *SOURCES])
    frontend = ROOT / "frontend"
    if (frontend / "package.json").exists() and shutil.which("npm"):
        run("frontend lint+types", ["npm", "run", "--silent", "check"], cwd=frontend)
        run("frontend unit tests", ["npm", "test", "--silent"], cwd=frontend)
    audit_dependencies(frontend)
    run("pytest", [sys.executable, "-m", "pytest", *pytest_args])


if __name__ == "__main__":
    main()
