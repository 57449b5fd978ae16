"""ICE servers: static settings locally; Kinesis Video Streams TURN in the cloud (Stubber)."""

from __future__ import annotations

from typing import Any

import boto3
import pytest
from botocore.stub import Stubber

from sous_media_agent.config import IceServer, Settings
from sous_media_agent.turn import (
    IceServersUnavailable,
    KinesisVideoIceServers,
    StaticIceServers,
    ice_server_source,
)

ARN = "arn:aws:kinesisvideo:us-east-1:123456789012:channel/sous/1700000000000"
ENDPOINT = "https://r-1234abcd.kinesisvideo.us-east-1.amazonaws.com"
ICE_RESPONSE = {
    "IceServerList": [
        {
            "Uris": [
                "turn:1-2-3-4.t-1234.kinesisvideo.us-east-1.amazonaws.com:443?transport=udp",
                "turns:1-2-3-4.t-1234.kinesisvideo.us-east-1.amazonaws.com:443?transport=tcp",
            ],
            "Username": "1700000300:user",
            "Password": "secret",
            "Ttl": 300,
        }
    ]
}


class StubbedClients:
    """boto3 clients with Stubbers, handed out like `boto3.client` would create them."""

    def __init__(self) -> None:
        self.kinesis_video = boto3.client(
            "kinesisvideo",
            region_name="us-east-1",
            aws_access_key_id="test",
            aws_secret_access_key="test",
        )
        self.signaling = boto3.client(
            "kinesis-video-signaling",
            region_name="us-east-1",
            endpoint_url=ENDPOINT,
            aws_access_key_id="test",
            aws_secret_access_key="test",
        )
        self.kinesis_video_stub = Stubber(self.kinesis_video)
        self.signaling_stub = Stubber(self.signaling)
        self.created: list[tuple[str, dict[str, Any]]] = []

    def __call__(self, service_name: str, **kwargs: Any) -> Any:
        self.created.append((service_name, kwargs))
        return self.kinesis_video if service_name == "kinesisvideo" else self.signaling

    def expect_endpoint(self, arn: str = ARN) -> None:
        self.kinesis_video_stub.add_response(
            "get_signaling_channel_endpoint",
            {
                "ResourceEndpointList": [
                    {
                        "Protocol": "WSS",
                        "ResourceEndpoint": "wss://v-1234.kinesisvideo.amazonaws.com",
                    },
                    {"Protocol": "HTTPS", "ResourceEndpoint": ENDPOINT},
                ]
            },
            {
                "ChannelARN": arn,
                "SingleMasterChannelEndpointConfiguration": {
                    "Protocols": ["HTTPS"],
                    "Role": "MASTER",
                },
            },
        )

    def expect_ice_config(self, arn: str = ARN) -> None:
        self.signaling_stub.add_response(
            "get_ice_server_config", ICE_RESPONSE, {"ChannelARN": arn, "Service": "TURN"}
        )


async def test_static_servers_come_from_settings() -> None:
    settings = Settings(
        ice_servers=[IceServer(urls="turn:127.0.0.1:3478", username="u", credential="p")]
    )
    source = ice_server_source(settings)
    assert isinstance(source, StaticIceServers)
    assert await source.ice_servers() == [
        IceServer(urls=["turn:127.0.0.1:3478"], username="u", credential="p")
    ]


def test_ice_servers_setting_reads_json_from_the_environment(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    monkeypatch.setenv(
        "ICE_SERVERS",
        '[{"urls": ["turn:coturn:3478?transport=udp"], "username": "sous", "credential": "x"}]',
    )
    monkeypatch.setenv("ICE_RELAY_ONLY", "true")
    settings = Settings()
    assert settings.ice_servers[0].urls == ["turn:coturn:3478?transport=udp"]
    assert settings.relay_only


async def test_kvs_turn_is_fetched_per_session_with_clients_made_on_first_use() -> None:
    clients = StubbedClients()
    settings = Settings(kvs_channel_arn=ARN, aws_region="us-east-1")
    assert settings.cloud_ice and settings.relay_only
    source = ice_server_source(settings, client_factory=clients)
    assert isinstance(source, KinesisVideoIceServers)
    assert clients.created == []  # nothing is created before the first session
    clients.expect_endpoint()
    clients.expect_ice_config()
    clients.expect_ice_config()
    with clients.kinesis_video_stub, clients.signaling_stub:
        first = await source.ice_servers()
        second = await source.ice_servers()  # a second session: fresh credentials, same endpoint
        clients.kinesis_video_stub.assert_no_pending_responses()
        clients.signaling_stub.assert_no_pending_responses()
    expected = IceServer(
        urls=ICE_RESPONSE["IceServerList"][0]["Uris"],
        username="1700000300:user",
        credential="secret",
    )
    assert first == second == [expected]
    assert clients.created == [
        ("kinesisvideo", {"region_name": "us-east-1"}),
        ("kinesis-video-signaling", {"region_name": "us-east-1", "endpoint_url": ENDPOINT}),
    ]


async def test_kvs_channel_name_is_resolved_to_its_arn() -> None:
    clients = StubbedClients()
    clients.kinesis_video_stub.add_response(
        "describe_signaling_channel",
        {"ChannelInfo": {"ChannelName": "sous", "ChannelARN": ARN}},
        {"ChannelName": "sous"},
    )
    clients.expect_endpoint()
    clients.expect_ice_config()
    source = KinesisVideoIceServers(
        region="us-east-1", channel_arn=None, channel_name="sous", client_factory=clients
    )
    with clients.kinesis_video_stub, clients.signaling_stub:
        servers = await source.ice_servers()
    assert servers[0].username == "1700000300:user"


async def test_kvs_errors_surface_to_the_caller() -> None:
    clients = StubbedClients()
    clients.kinesis_video_stub.add_client_error(
        "get_signaling_channel_endpoint", "AccessDeniedException", "not allowed"
    )
    source = KinesisVideoIceServers(
        region="us-east-1", channel_arn=ARN, channel_name=None, client_factory=clients
    )
    with (
        clients.kinesis_video_stub,
        pytest.raises(IceServersUnavailable, match=r"TURN servers are unavailable.*not allowed"),
    ):
        await source.ice_servers()


def test_kvs_needs_a_channel() -> None:
    with pytest.raises(ValueError, match="KVS_CHANNEL_ARN or KVS_CHANNEL_NAME"):
        KinesisVideoIceServers(region="us-east-1", channel_arn=None, channel_name=None)
