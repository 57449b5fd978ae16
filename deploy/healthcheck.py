"""Container health check: exit 0 when this container's service answers GET <path> with a 2xx.

Images run it from HEALTHCHECK (slim images have no curl); ECS task definitions run it too. The
port is the service's own PORT setting, so the check follows the service when PORT changes.
"""

from __future__ import annotations

import os
import sys
import urllib.error
import urllib.request

TIMEOUT_SECONDS = 3.0


def check(path: str, port: str) -> str | None:
    """None when GET http://127.0.0.1:<port><path> answers 2xx, else why not."""
    url = f"http://127.0.0.1:{port}{path}"
    try:
        with urllib.request.urlopen(url, timeout=TIMEOUT_SECONDS) as response:
            status = int(response.status)
    except urllib.error.HTTPError as exc:
        return f"GET {url} answered {exc.code}"
    except (urllib.error.URLError, OSError) as exc:
        return f"GET {url} failed: {exc}"
    return None if 200 <= status < 300 else f"GET {url} answered {status}"


def main(argv: list[str]) -> int:
    if len(argv) != 2 or not argv[1].startswith("/"):
        print("usage: healthcheck.py /health-path   (the port comes from PORT)", file=sys.stderr)
        return 2
    port = os.environ.get("PORT")
    if not port:
        print("unhealthy: PORT is not set, so the service's port is unknown", file=sys.stderr)
        return 1
    problem = check(argv[1], port)
    if problem:
        print(f"unhealthy: {problem}", file=sys.stderr)
        return 1
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv))
