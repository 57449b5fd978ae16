"""ICE servers for peers: static ones from settings, or Kinesis Video Streams TURN in the cloud."""

from __future__ import annotations

import asyncio
import logging
import threading
from typing import Any, Protocol, cast

import boto3
from botocore.exceptions import BotoCoreError, ClientError

from .config import IceServer, Settings

logger = logging.getLogger(__name__)


class IceServersUnavailable(Exception):
    """The TURN provider did not answer; the message is fit for the caller."""


class BotoClientFactory(Protocol):
    """Makes a boto3 client (`boto3.client` or a test's stubbed clients)."""

    def __call__(self, service_name: str, **kwargs: Any) -> Any: ...


class IceServerSource(Protocol):
    """Where a session's ICE servers come from."""

    async def ice_servers(self) -> list[IceServer]: ...


class StaticIceServers:
    """The ICE_SERVERS setting, the same for every session (local runs, coturn in compose)."""

    def __init__(self, servers: list[IceServer]) -> None:
        self._servers = servers

    async def ice_servers(self) -> list[IceServer]:
        return list(self._servers)


class KinesisVideoIceServers:
    """TURN servers of a KVS signaling channel; credentials expire (300 s), so fetch per session.

    Clients are created on first use: credentials may not exist yet when the container starts.
    """

    def __init__(
        self,
        *,
        region: str,
        channel_arn: str | None,
        channel_name: str | None,
        client_factory: BotoClientFactory | None = None,
    ) -> None:
        if not channel_arn and not channel_name:
            raise ValueError("Set KVS_CHANNEL_ARN or KVS_CHANNEL_NAME to use Kinesis Video TURN")
        self._region = region
        self._channel_arn = channel_arn
        self._channel_name = channel_name
        self._client_factory = client_factory or cast(BotoClientFactory, boto3.client)
        self._signaling_client: Any = None
        self._lock = threading.Lock()

    async def ice_servers(self) -> list[IceServer]:
        try:
            return await asyncio.to_thread(self._fetch)
        except (BotoCoreError, ClientError) as exc:
            logger.warning("KVS TURN servers unavailable: %s", exc)
            raise IceServersUnavailable(f"TURN servers are unavailable right now ({exc}).") from exc

    def _fetch(self) -> list[IceServer]:
        with self._lock:
            if self._signaling_client is None:
                self._signaling_client = self._create_signaling_client()
            client = self._signaling_client
        response = client.get_ice_server_config(ChannelARN=self._channel_arn, Service="TURN")
        return [
            IceServer(
                urls=server["Uris"], username=server["Username"], credential=server["Password"]
            )
            for server in response["IceServerList"]
        ]

    def _create_signaling_client(self) -> Any:
        kinesis_video = self._client_factory("kinesisvideo", region_name=self._region)
        if not self._channel_arn:
            described = kinesis_video.describe_signaling_channel(ChannelName=self._channel_name)
            self._channel_arn = described["ChannelInfo"]["ChannelARN"]
        endpoint = kinesis_video.get_signaling_channel_endpoint(
            ChannelARN=self._channel_arn,
            SingleMasterChannelEndpointConfiguration={"Protocols": ["HTTPS"], "Role": "MASTER"},
        )
        https = next(
            item["ResourceEndpoint"]
            for item in endpoint["ResourceEndpointList"]
            if item["Protocol"] == "HTTPS"
        )
        logger.info("using KVS signaling endpoint %s for TURN", https)
        return self._client_factory(
            "kinesis-video-signaling", region_name=self._region, endpoint_url=https
        )


def ice_server_source(
    settings: Settings, client_factory: BotoClientFactory | None = None
) -> IceServerSource:
    """KVS TURN in cloud mode (CONTAINER_ENV or KVS_CHANNEL_* set), else the static list."""
    if settings.cloud_ice and (settings.kvs_channel_arn or settings.kvs_channel_name):
        return KinesisVideoIceServers(
            region=settings.aws_region,
            channel_arn=settings.kvs_channel_arn,
            channel_name=settings.kvs_channel_name,
            client_factory=client_factory,
        )
    if settings.cloud_ice and not settings.ice_servers:
        logger.warning("CONTAINER_ENV is set but no KVS channel or ICE_SERVERS: peers get no TURN")
    return StaticIceServers(settings.ice_servers)
