"""infra/ (Terraform): formatted, parseable, and right where a wrong line costs a failed deploy or
a security hole: subnets by AZ id, no credentials in code, least-privilege roles, private data
stores, and environment maps that name real settings with values the services accept.

The provider registry is unreachable here, so `terraform validate` runs only where it can
(docs/deploy.md); these checks read the HCL itself (python-hcl2).
"""

from __future__ import annotations

import re
import shutil
import subprocess
from pathlib import Path
from typing import Any

import hcl2
import pytest
from hcl2 import SerializationOptions
from pydantic_settings import BaseSettings

from sous_media_agent.config import Settings as MediaAgentSettings
from sous_signaling.config import Settings as SignalingSettings
from sous_tools.config import Settings as ToolsSettings

ROOT = Path(__file__).resolve().parent.parent
INFRA = ROOT / "infra"
AGENTCORE_ZONE_IDS = ["use1-az1", "use1-az2", "use1-az4"]
# Values Terraform computes at apply time, as examples of their kind; "computed" stands in for the
# other interpolations (they are all strings).
COMPUTED_EXAMPLES = {"TRUSTED_PROXIES": "10.40.0.0/16,130.176.0.0/18"}
KVS_ACTIONS = {
    "kinesisvideo:CreateSignalingChannel",
    "kinesisvideo:DescribeSignalingChannel",
    "kinesisvideo:GetIceServerConfig",
    "kinesisvideo:GetSignalingChannelEndpoint",
}


class Terraform:
    """Every block of every .tf file in infra/, by kind."""

    def __init__(self) -> None:
        self.files = sorted(INFRA.glob("*.tf"))
        self.blocks: dict[str, list[Any]] = {}
        options = SerializationOptions(
            with_comments=False, strip_string_quotes=True, explicit_blocks=False
        )
        for path in self.files:
            with path.open() as file:
                for kind, items in hcl2.load(file, serialization_options=options).items():
                    self.blocks.setdefault(kind, []).extend(items)

    def resources(self, kind: str) -> dict[str, dict[str, Any]]:
        return {
            name: body
            for block in self.blocks.get("resource", [])
            for resource_kind, named in block.items()
            if resource_kind == kind
            for name, body in named.items()
        }

    def data(self, kind: str) -> dict[str, dict[str, Any]]:
        return {
            name: body
            for block in self.blocks.get("data", [])
            for data_kind, named in block.items()
            if data_kind == kind
            for name, body in named.items()
        }

    @property
    def locals(self) -> dict[str, Any]:
        merged: dict[str, Any] = {}
        for block in self.blocks.get("locals", []):
            merged.update(block)
        return merged

    def named(self, kind: str) -> dict[str, dict[str, Any]]:
        return {name: body for block in self.blocks.get(kind, []) for name, body in block.items()}


@pytest.fixture(scope="module")
def terraform() -> Terraform:
    return Terraform()


def test_terraform_fmt_finds_nothing_to_change() -> None:
    binary = shutil.which("terraform")
    if binary is None:
        pytest.skip("terraform is not installed; the HCL is still parsed by the other tests")
    result = subprocess.run(
        [binary, "fmt", "-check", "-recursive", "-diff", str(INFRA)], capture_output=True, text=True
    )
    assert result.returncode == 0, result.stdout + result.stderr


def test_every_file_parses_and_the_deployment_has_its_parts(terraform: Terraform) -> None:
    assert len(terraform.files) >= 10
    for kind in [
        "aws_vpc",
        "aws_subnet",
        "aws_nat_gateway",
        "aws_security_group",
        "aws_ecr_repository",
        "aws_bedrockagentcore_agent_runtime",
        "aws_iam_role",
        "awscc_kinesisvideo_signaling_channel",
        "aws_elasticache_replication_group",
        "aws_ecs_service",
        "aws_lb",
        "aws_cognito_user_pool",
        "aws_cognito_user_pool_client",
        "aws_s3_bucket",
        "aws_cloudfront_distribution",
    ]:
        assert terraform.resources(kind), f"infra/ has no {kind}"


def test_subnets_are_placed_by_zone_id_never_by_zone_name(terraform: Terraform) -> None:
    subnets = terraform.resources("aws_subnet")
    assert set(subnets) == {"public", "private"}
    for name, subnet in subnets.items():
        assert "availability_zone" not in subnet, f"subnet {name} is placed by AZ name"
        assert subnet["availability_zone_id"] == "${var.availability_zone_ids[count.index]}"
    assert not terraform.data("aws_availability_zones"), "AZs must not be looked up by name"
    assert terraform.named("variable")["availability_zone_ids"]["default"] == AGENTCORE_ZONE_IDS


def test_no_credentials_are_written_in_the_code(terraform: Terraform) -> None:
    for provider in terraform.blocks["provider"]:
        for name, body in provider.items():
            assert not {"access_key", "secret_key", "token", "profile"} & set(body), name
    secret_assignment = re.compile(
        r"^\s*(\w*(password|secret|credential|auth_token|access_key)\w*)\s*=\s*\"(?!\$\{)",
        re.IGNORECASE | re.MULTILINE,
    )
    for path in terraform.files:
        text = path.read_text()
        assert not re.search(r"\b(AKIA|ASIA)[0-9A-Z]{16}\b", text), f"{path.name}: an AWS key id"
        assert not secret_assignment.search(text), f"{path.name}: a literal secret"


def policy_statements(terraform: Terraform, name: str) -> list[dict[str, Any]]:
    statements: list[dict[str, Any]] = terraform.data("aws_iam_policy_document")[name]["statement"]
    return statements


def test_media_agent_role_may_use_exactly_the_turn_actions_on_its_channel(
    terraform: Terraform,
) -> None:
    statements = policy_statements(terraform, "agent")
    kvs = [s for s in statements if any(a.startswith("kinesisvideo:") for a in s["actions"])]
    assert len(kvs) == 1
    assert set(kvs[0]["actions"]) == KVS_ACTIONS
    channel_arn = (
        "arn:${local.partition}:kinesisvideo:${var.region}:${local.account_id}"
        ":channel/${local.kvs_channel_name}/*"
    )
    assert kvs[0]["resources"] == [channel_arn]
    channel = terraform.resources("awscc_kinesisvideo_signaling_channel")["turn"]
    assert channel["name"] == "${local.kvs_channel_name}"  # the policy's scope is this channel


def test_media_agent_role_grants_nothing_broad(terraform: Terraform) -> None:
    for statement in policy_statements(terraform, "agent"):
        actions = set(statement["actions"])
        assert not any(action.endswith("*") for action in actions), statement
        if "*" in statement["resources"]:
            assert actions == {"ecr:GetAuthorizationToken"}, statement
        if any(action.startswith("bedrock:") for action in actions):
            assert actions == {"bedrock:InvokeModel"}
            assert statement["resources"] == [
                "arn:${local.partition}:bedrock:${var.region}::foundation-model/"
                "${var.nova_sonic_model_id}"
            ]
    trust = policy_statements(terraform, "agent_assume")[0]
    assert trust["principals"][0]["identifiers"] == ["bedrock-agentcore.amazonaws.com"]
    assert {c["variable"] for c in trust["condition"]} == {"aws:SourceAccount", "aws:SourceArn"}


def test_signaling_may_only_invoke_the_media_agent_runtime(terraform: Terraform) -> None:
    (statement,) = policy_statements(terraform, "signaling_task")
    assert statement["actions"] == ["bedrock-agentcore:InvokeAgentRuntime"]
    arn = "${aws_bedrockagentcore_agent_runtime.media_agent.agent_runtime_arn}"
    assert statement["resources"] == [arn, f"{arn}/runtime-endpoint/*"]


def test_agent_runtime_runs_the_pushed_image_in_the_private_subnets(terraform: Terraform) -> None:
    runtime = terraform.resources("aws_bedrockagentcore_agent_runtime")["media_agent"]
    network = runtime["network_configuration"][0]
    assert network["network_mode"] == "VPC"
    vpc = network["network_mode_config"][0]
    assert vpc["subnets"] == "${aws_subnet.private[*].id}"
    assert vpc["security_groups"] == ["${aws_security_group.agent.id}"]
    container = runtime["agent_runtime_artifact"][0]["container_configuration"][0]
    assert container["container_uri"] == (
        '${aws_ecr_repository.images["media-agent"].repository_url}:${var.image_tag}'
    )
    assert runtime["environment_variables"] == "${local.agent_environment}"


def test_data_stays_private_and_encrypted(terraform: Terraform) -> None:
    valkey = terraform.resources("aws_elasticache_replication_group")["valkey"]
    assert valkey["transit_encryption_enabled"] is True
    assert valkey["at_rest_encryption_enabled"] is True
    assert terraform.locals["redis_url"].startswith("rediss://")  # TLS, as transit encryption needs
    block = terraform.resources("aws_s3_bucket_public_access_block")["frontend"]
    for setting in ("block_public_acls", "block_public_policy", "ignore_public_acls"):
        assert block[setting] is True
    assert block["restrict_public_buckets"] is True
    for service in terraform.resources("aws_ecs_service").values():
        assert service["network_configuration"][0]["assign_public_ip"] is False
    assert terraform.resources("aws_lb")["tools"]["internal"] is True


def test_only_cloudfront_reaches_signaling(terraform: Terraform) -> None:
    listener = terraform.resources("aws_lb_listener")["signaling"]
    assert listener["default_action"][0]["fixed_response"][0]["status_code"] == "403"
    rule = terraform.resources("aws_lb_listener_rule")["signaling_from_cloudfront"]
    header = rule["condition"][0]["http_header"][0]
    origin = next(
        origin
        for origin in terraform.resources("aws_cloudfront_distribution")["frontend"]["origin"]
        if origin["origin_id"] == "signaling"
    )
    sent = origin["custom_header"][0]
    assert sent["name"] == header["http_header_name"]
    assert sent["value"] == "${random_password.origin_verify.result}"
    assert header["values"] == ["${random_password.origin_verify.result}"]
    ingress = terraform.resources("aws_vpc_security_group_ingress_rule")[
        "public_alb_from_cloudfront"
    ]
    assert ingress["prefix_list_id"] == "${data.aws_ec2_managed_prefix_list.cloudfront.id}"


def test_variables_and_outputs_say_what_they_are(terraform: Terraform) -> None:
    for name, variable in terraform.named("variable").items():
        assert variable.get("description") and variable.get("type"), f"variable {name}"
    for name, output in terraform.named("output").items():
        assert output.get("description"), f"output {name}"


def env_names(settings: type[BaseSettings]) -> set[str]:
    prefix = str(settings.model_config.get("env_prefix", ""))
    return {f"{prefix}{name}".upper() for name in settings.model_fields}


@pytest.mark.parametrize(
    ("local_name", "settings"),
    [
        ("agent_environment", MediaAgentSettings),
        ("signaling_environment", SignalingSettings),
        ("tools_environment", ToolsSettings),
    ],
)
def test_service_environments_are_settings_the_service_accepts(
    terraform: Terraform,
    local_name: str,
    settings: type[BaseSettings],
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    environment: dict[str, str] = terraform.locals[local_name]
    unknown = set(environment) - env_names(settings)
    assert not unknown, f"{local_name} sets variables the service never reads: {sorted(unknown)}"
    for name in env_names(settings):
        monkeypatch.delenv(name, raising=False)
    for name, value in environment.items():
        if "${" in value:
            value = COMPUTED_EXAMPLES.get(name, re.sub(r"\$\{[^}]*\}", "computed", value))
        monkeypatch.setenv(name, value)
    settings(_env_file=None)  # raises ValidationError on a value or combination it refuses
