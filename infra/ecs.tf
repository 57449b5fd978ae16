# Signaling and tools on ECS Fargate in the private subnets, behind their load balancers.

locals {
  cognito_issuer = "https://cognito-idp.${var.region}.amazonaws.com/${aws_cognito_user_pool.users.id}"

  # Every key is a signaling setting (tests/test_infra.py checks the names).
  signaling_environment = {
    HOST                  = "0.0.0.0"
    PORT                  = "8000"
    REDIS_URL             = local.redis_url
    ROUTER                = "agentcore"
    AGENTCORE_RUNTIME_ARN = aws_bedrockagentcore_agent_runtime.media_agent.agent_runtime_arn
    AGENTCORE_QUALIFIER   = "DEFAULT"
    AWS_REGION            = var.region
    # The browser sends its Cognito ID token, whose audience is the app client.
    AUTH_MODE    = "jwt"
    JWT_JWKS_URL = "${local.cognito_issuer}/.well-known/jwks.json"
    JWT_ISSUER   = local.cognito_issuer
    JWT_AUDIENCE = aws_cognito_user_pool_client.frontend.id
    # GET /api/config tells the page to sign in at the hosted page with this client; scopes and
    # path must be the client's allowed scopes and callback URL's path (cognito.tf).
    OIDC_DOMAIN        = local.sign_in_domain
    OIDC_CLIENT_ID     = aws_cognito_user_pool_client.frontend.id
    OIDC_SCOPES        = "openid,email"
    OIDC_REDIRECT_PATH = "/"
    # CloudFront serves the page and /api from one origin: no CORS.
    CORS_ORIGINS = ""
    # Client addresses (for per-client limits) arrive via CloudFront, then the ALB in the VPC.
    TRUSTED_PROXIES = join(",", concat([var.vpc_cidr], [for entry in data.aws_ec2_managed_prefix_list.cloudfront.entries : entry.cidr]))
  }

  # Every key is a tools setting (tests/test_infra.py checks the names).
  tools_environment = {
    HOST           = "0.0.0.0"
    PORT           = "8001"
    REDIS_URL      = local.redis_url
    SEARCH_BACKEND = "bm25"
  }

  services = {
    signaling = {
      port          = 8000
      environment   = tomap(local.signaling_environment)
      desired_count = var.signaling_desired_count
      target_group  = aws_lb_target_group.signaling.arn
      security      = aws_security_group.signaling.id
      task_role     = aws_iam_role.signaling_task.arn
    }
    tools = {
      port          = 8001
      environment   = tomap(local.tools_environment)
      desired_count = var.tools_desired_count
      target_group  = aws_lb_target_group.tools.arn
      security      = aws_security_group.tools.id
      task_role     = null
    }
  }
}

resource "aws_ecs_cluster" "main" {
  name = var.name_prefix
}

resource "aws_cloudwatch_log_group" "services" {
  for_each = local.services

  name              = "/ecs/${var.name_prefix}/${each.key}"
  retention_in_days = var.log_retention_days
}

data "aws_iam_policy_document" "ecs_tasks_assume" {
  statement {
    actions = ["sts:AssumeRole"]

    principals {
      type        = "Service"
      identifiers = ["ecs-tasks.amazonaws.com"]
    }
  }
}

# Lets ECS pull the images and write the logs.
resource "aws_iam_role" "task_execution" {
  name               = "${var.name_prefix}-task-execution"
  assume_role_policy = data.aws_iam_policy_document.ecs_tasks_assume.json
}

resource "aws_iam_role_policy_attachment" "task_execution" {
  role       = aws_iam_role.task_execution.name
  policy_arn = "arn:${local.partition}:iam::aws:policy/service-role/AmazonECSTaskExecutionRolePolicy"
}

# Signaling's own permission: invoke the media agent runtime, nothing else.
resource "aws_iam_role" "signaling_task" {
  name               = "${var.name_prefix}-signaling-task"
  assume_role_policy = data.aws_iam_policy_document.ecs_tasks_assume.json
}

data "aws_iam_policy_document" "signaling_task" {
  statement {
    sid     = "InvokeMediaAgent"
    actions = ["bedrock-agentcore:InvokeAgentRuntime"]
    resources = [
      aws_bedrockagentcore_agent_runtime.media_agent.agent_runtime_arn,
      "${aws_bedrockagentcore_agent_runtime.media_agent.agent_runtime_arn}/runtime-endpoint/*",
    ]
  }
}

resource "aws_iam_role_policy" "signaling_task" {
  name   = "invoke-media-agent"
  role   = aws_iam_role.signaling_task.id
  policy = data.aws_iam_policy_document.signaling_task.json
}

resource "aws_ecs_task_definition" "services" {
  for_each = local.services

  family                   = "${var.name_prefix}-${each.key}"
  requires_compatibilities = ["FARGATE"]
  network_mode             = "awsvpc"
  cpu                      = var.task_cpu
  memory                   = var.task_memory
  execution_role_arn       = aws_iam_role.task_execution.arn
  task_role_arn            = each.value.task_role

  runtime_platform {
    operating_system_family = "LINUX"
    cpu_architecture        = "X86_64"
  }

  container_definitions = jsonencode([
    {
      name         = each.key
      image        = "${aws_ecr_repository.images[each.key].repository_url}:${var.image_tag}"
      essential    = true
      portMappings = [{ containerPort = each.value.port, protocol = "tcp" }]
      environment  = [for name, value in each.value.environment : { name = name, value = value }]
      # The image's own check (ECS ignores the Dockerfile HEALTHCHECK).
      healthCheck = {
        command     = ["CMD", "python", "/usr/local/bin/sous-healthcheck", "/health"]
        interval    = 10
        timeout     = 5
        retries     = 3
        startPeriod = 20
      }
      logConfiguration = {
        logDriver = "awslogs"
        options = {
          awslogs-group         = aws_cloudwatch_log_group.services[each.key].name
          awslogs-region        = var.region
          awslogs-stream-prefix = each.key
        }
      }
    }
  ])
}

resource "aws_ecs_service" "services" {
  for_each = local.services

  name            = each.key
  cluster         = aws_ecs_cluster.main.id
  task_definition = aws_ecs_task_definition.services[each.key].arn
  desired_count   = each.value.desired_count
  launch_type     = "FARGATE"

  network_configuration {
    subnets          = aws_subnet.private[*].id
    security_groups  = [each.value.security]
    assign_public_ip = false
  }

  load_balancer {
    target_group_arn = each.value.target_group
    container_name   = each.key
    container_port   = each.value.port
  }

  deployment_circuit_breaker {
    enable   = true
    rollback = true
  }

  depends_on = [aws_lb_listener.signaling, aws_lb_listener.tools, aws_iam_role_policy_attachment.task_execution]
}
