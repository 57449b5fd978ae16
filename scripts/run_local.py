"""`./sous up`: runs the whole Sous system locally and streams its logs until Ctrl-C.

Options: --model local|nova-sonic|echo (env SOUS_MODEL; nova-sonic needs AWS credentials),
--port (signaling/UI port, default 8000), --tools-port (default 8001), --agent-port (first media
agent's port, default 8080), --agents N (media agents, default 1).
"""

from __future__ import annotations

import argparse
import os
import signal
import sys
import threading
import time

from stack import Stack, StackConfig

COLOURS = {"redis": 31, "tools": 32, "agent": 35, "signaling": 36}
_print_lock = threading.Lock()


def print_line(name: str, line: str) -> None:
    colour = COLOURS.get(name.rstrip("0123456789"), 33)
    prefix = f"\033[{colour}m{name:>10} |\033[0m" if sys.stdout.isatty() else f"{name:>10} |"
    with _print_lock:
        print(f"{prefix} {line}", flush=True)


def aws_credentials_present() -> bool:
    try:
        import boto3

        return boto3.Session().get_credentials() is not None
    except Exception:  # any botocore configuration error means "not usable"
        return False


def main() -> int:
    parser = argparse.ArgumentParser(prog="./sous up", description=__doc__)
    parser.add_argument(
        "--model",
        default=os.environ.get("SOUS_MODEL", "local"),
        choices=["local", "nova-sonic", "echo"],
    )
    parser.add_argument("--port", type=int, default=8000)
    parser.add_argument("--tools-port", type=int, default=8001)
    parser.add_argument("--agent-port", type=int, default=8080)
    parser.add_argument("--agents", type=int, default=1)
    args = parser.parse_args()
    if args.model == "nova-sonic" and not aws_credentials_present():
        print(
            "--model nova-sonic needs AWS credentials (aws configure, or AWS_PROFILE / "
            "AWS_ACCESS_KEY_ID); none were found.",
            file=sys.stderr,
        )
        return 2

    redis_url = os.environ.get("REDIS_URL", "redis://127.0.0.1:6379/0")
    config = StackConfig(
        redis_url=redis_url,
        model=args.model,
        signaling_port=args.port,
        tools_port=args.tools_port,
        agent_ports=[args.agent_port + i for i in range(args.agents)],
    )
    stack = Stack(config, print_line)
    # A plain list, not a threading.Event: the handler runs on the main thread, and Event.set()
    # there deadlocks when the signal lands inside Event.wait() (both take the same lock).
    signals: list[int] = []

    def on_signal(signum: int, _frame: object) -> None:
        signals.append(signum)

    signal.signal(signal.SIGINT, on_signal)
    signal.signal(signal.SIGTERM, on_signal)

    started = time.monotonic()

    def on_wait(name: str) -> None:
        what = "loading and warming up the voice models" if name.startswith("agent") else "starting"
        print_line("sous", f"waiting for {name} ({what})…")

    try:
        stack.start(on_wait=on_wait)
    except RuntimeError as exc:
        print_line("sous", f"could not start: {exc}")
        stack.stop()
        return 1
    print_line(
        "sous",
        f"ready in {time.monotonic() - started:.1f} s: open {stack.url} "
        f"(model: {args.model}; Ctrl-C stops everything)",
    )
    while not signals:
        time.sleep(0.5)
        dead = [s.name for s in stack.services if not s.alive]
        if dead:
            print_line("sous", f"{', '.join(dead)} stopped unexpectedly; stopping the rest")
            stack.stop()
            return 1
    print_line("sous", "stopping…")
    stack.stop()
    print_line("sous", "stopped")
    return 0


if __name__ == "__main__":
    sys.exit(main())
