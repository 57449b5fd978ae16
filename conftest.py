"""Test fixtures shared by every service: a real Redis, isolated per test run.

Tests use the Redis at ``REDIS_URL`` (default ``redis://127.0.0.1:6379``). When none answers,
a real ``redis-server`` is started on a free port for the run. Each pytest run claims its own
database number (1-15) so parallel runs never see each other's keys, and flushes it between
tests.
"""

from __future__ import annotations

import os
import shutil
import socket
import subprocess
import tempfile
import time
import uuid
from collections.abc import AsyncIterator, Iterator
from urllib.parse import urlsplit, urlunsplit

import aioice.ice
import pytest
import redis
import redis.asyncio as aioredis

_LOCK_TTL_SECONDS = 3 * 3600


@pytest.fixture(autouse=True, scope="session")
def loopback_only_ice() -> Iterator[None]:
    """Peers made in tests offer host candidates on 127.0.0.1 only: test traffic stays on
    loopback (the stack's media agents get the same through ICE_HOST_ADDRESSES)."""
    real = aioice.ice.get_host_addresses
    aioice.ice.get_host_addresses = lambda use_ipv4, use_ipv6: ["127.0.0.1"]
    yield
    aioice.ice.get_host_addresses = real


def _free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])


def _answers(url: str) -> bool:
    try:
        return bool(redis.Redis.from_url(url, socket_connect_timeout=0.5).ping())
    except redis.RedisError:
        return False


def _with_db(url: str, db: int) -> str:
    parts = urlsplit(url)
    return urlunsplit((parts.scheme, parts.netloc, f"/{db}", parts.query, parts.fragment))


@pytest.fixture(scope="session")
def redis_server_url() -> Iterator[str]:
    """URL of a running Redis server (database 0): the configured one, or one we start."""
    url = os.environ.get("REDIS_URL", "redis://127.0.0.1:6379")
    if _answers(url):
        yield _with_db(url, 0)
        return
    binary = shutil.which("redis-server")
    if binary is None:
        pytest.fail(f"No Redis answers at {url} and redis-server is not installed")
    port = _free_port()
    workdir = tempfile.mkdtemp(prefix="sous-redis-")
    proc = subprocess.Popen(
        [
            binary,
            "--port",
            str(port),
            "--bind",
            "127.0.0.1",
            "--save",
            "",
            "--appendonly",
            "no",
            "--dir",
            workdir,
        ],
        stdout=subprocess.DEVNULL,
    )
    url = f"redis://127.0.0.1:{port}/0"
    deadline = time.monotonic() + 10
    while not _answers(url):
        if time.monotonic() > deadline:
            proc.kill()
            pytest.fail("redis-server did not start within 10 s")
        time.sleep(0.05)
    yield url
    proc.terminate()
    proc.wait(timeout=10)
    shutil.rmtree(workdir, ignore_errors=True)


@pytest.fixture(scope="session")
def redis_url(redis_server_url: str) -> Iterator[str]:
    """A Redis URL whose database number belongs to this test run alone."""
    admin = redis.Redis.from_url(redis_server_url)
    token = uuid.uuid4().hex
    for db in range(1, 16):
        if admin.set(f"sous-test-lock:{db}", token, nx=True, ex=_LOCK_TTL_SECONDS):
            break
    else:
        pytest.fail("All Redis databases 1-15 are claimed by other test runs")
    url = _with_db(redis_server_url, db)
    os.environ["REDIS_URL"] = url
    yield url
    redis.Redis.from_url(url).flushdb()
    if admin.get(f"sous-test-lock:{db}") == token.encode():
        admin.delete(f"sous-test-lock:{db}")


@pytest.fixture
def redis_sync(redis_url: str) -> Iterator[redis.Redis]:
    """A synchronous client on the run's database, flushed before and after the test."""
    client = redis.Redis.from_url(redis_url, decode_responses=True)
    client.flushdb()
    yield client
    client.flushdb()
    client.close()


@pytest.fixture
async def redis_client(redis_sync: redis.Redis, redis_url: str) -> AsyncIterator[aioredis.Redis]:
    """An asyncio client on the run's (flushed) database."""
    client = aioredis.Redis.from_url(redis_url, decode_responses=True)
    yield client
    await client.aclose()
