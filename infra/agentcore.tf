# The media agent on Bedrock AgentCore Runtime (arm64 microVMs), in VPC mode so it reaches
# Valkey and the internal tools ALB. One session per runtimeSessionId, which signaling sets to
# the Sous session id.

locals {
  agent_runtime_name = replace("${var.name_prefix}_media_agent", "-", "_")
  kvs_channel_name   = "${var.name_prefix}-turn"

  # Every key is a media agent setting (tests/test_infra.py checks the names).
  agent_environment = {
    HOST                = "0.0.0.0"
    PORT                = "8080"
    REDIS_URL           = local.redis_url
    TOOLS_URL           = "http://${aws_lb.tools.dns_name}"
    MODEL               = "nova-sonic"
    NOVA_SONIC_MODEL_ID = var.nova_sonic_model_id
    AWS_REGION          = var.region
    CONTAINER_ENV       = "agentcore"
    KVS_CHANNEL_ARN     = awscc_kinesisvideo_signaling_channel.turn.arn
    ICE_RELAY_ONLY      = "true"
    # AgentCore gives every session its own microVM.
    CAPACITY = "1"
  }
}

data "aws_iam_policy_document" "agent_assume" {
  statement {
    actions = ["sts:AssumeRole"]

    principals {
      type        = "Service"
      identifiers = ["bedrock-agentcore.amazonaws.com"]
    }

    condition {
      test     = "StringEquals"
      variable = "aws:SourceAccount"
      values   = [local.account_id]
    }

    condition {
      test     = "ArnLike"
      variable = "aws:SourceArn"
      values   = ["arn:${local.partition}:bedrock-agentcore:${var.region}:${local.account_id}:*"]
    }
  }
}

resource "aws_iam_role" "agent" {
  name               = "${var.name_prefix}-agentcore-runtime"
  assume_role_policy = data.aws_iam_policy_document.agent_assume.json
}

data "aws_iam_policy_document" "agent" {
  statement {
    sid       = "PullTheImage"
    actions   = ["ecr:BatchGetImage", "ecr:GetDownloadUrlForLayer"]
    resources = [aws_ecr_repository.images["media-agent"].arn]
  }

  statement {
    sid       = "EcrLogin"
    actions   = ["ecr:GetAuthorizationToken"]
    resources = ["*"] # this action has no resource-level scope
  }

  statement {
    sid     = "WriteLogs"
    actions = ["logs:CreateLogGroup", "logs:CreateLogStream", "logs:PutLogEvents", "logs:DescribeLogStreams"]
    resources = [
      "arn:${local.partition}:logs:${var.region}:${local.account_id}:log-group:/aws/bedrock-agentcore/runtimes/*",
      "arn:${local.partition}:logs:${var.region}:${local.account_id}:log-group:/aws/bedrock-agentcore/runtimes/*:log-stream:*",
    ]
  }

  statement {
    sid       = "FindLogGroups"
    actions   = ["logs:DescribeLogGroups"]
    resources = ["arn:${local.partition}:logs:${var.region}:${local.account_id}:log-group:*"]
  }

  # InvokeModelWithBidirectionalStream (Nova Sonic) is authorized by bedrock:InvokeModel.
  statement {
    sid       = "TalkToNovaSonic"
    actions   = ["bedrock:InvokeModel"]
    resources = ["arn:${local.partition}:bedrock:${var.region}::foundation-model/${var.nova_sonic_model_id}"]
  }

  # TURN credentials of the one signaling channel (its ARN ends in a creation time, hence /*).
  statement {
    sid = "KinesisVideoTurn"
    actions = [
      "kinesisvideo:CreateSignalingChannel",
      "kinesisvideo:DescribeSignalingChannel",
      "kinesisvideo:GetIceServerConfig",
      "kinesisvideo:GetSignalingChannelEndpoint",
    ]
    resources = ["arn:${local.partition}:kinesisvideo:${var.region}:${local.account_id}:channel/${local.kvs_channel_name}/*"]
  }
}

resource "aws_iam_role_policy" "agent" {
  name   = "media-agent"
  role   = aws_iam_role.agent.id
  policy = data.aws_iam_policy_document.agent.json
}

resource "aws_bedrockagentcore_agent_runtime" "media_agent" {
  agent_runtime_name = local.agent_runtime_name
  description        = "Sous media agent: WebRTC peers and the voice agent"
  role_arn           = aws_iam_role.agent.arn

  agent_runtime_artifact {
    container_configuration {
      container_uri = "${aws_ecr_repository.images["media-agent"].repository_url}:${var.image_tag}"
    }
  }

  network_configuration {
    network_mode = "VPC"

    network_mode_config {
      subnets         = aws_subnet.private[*].id
      security_groups = [aws_security_group.agent.id]
    }
  }

  protocol_configuration {
    server_protocol = "HTTP"
  }

  lifecycle_configuration {
    idle_runtime_session_timeout = var.agent_idle_session_timeout_seconds
    max_lifetime                 = var.agent_max_lifetime_seconds
  }

  environment_variables = local.agent_environment

  # The role must be able to pull the image before the runtime is created.
  depends_on = [aws_iam_role_policy.agent]
}
