# Who may talk to whom. Only CloudFront reaches the public ALB; only media agents reach the tools;
# only the three services reach Valkey. Egress is open: the services call AWS APIs and TURN.

data "aws_ec2_managed_prefix_list" "cloudfront" {
  name = "com.amazonaws.global.cloudfront.origin-facing"
}

resource "aws_security_group" "public_alb" {
  name        = "${var.name_prefix}-public-alb"
  description = "Signaling ALB: HTTP from CloudFront only"
  vpc_id      = aws_vpc.main.id
}

resource "aws_security_group" "signaling" {
  name        = "${var.name_prefix}-signaling"
  description = "Signaling tasks"
  vpc_id      = aws_vpc.main.id
}

resource "aws_security_group" "tools_alb" {
  name        = "${var.name_prefix}-tools-alb"
  description = "Internal tools ALB: HTTP from media agents only"
  vpc_id      = aws_vpc.main.id
}

resource "aws_security_group" "tools" {
  name        = "${var.name_prefix}-tools"
  description = "Tools tasks"
  vpc_id      = aws_vpc.main.id
}

resource "aws_security_group" "agent" {
  name        = "${var.name_prefix}-agent"
  description = "AgentCore media agent ENIs (invoked through AgentCore, so no ingress)"
  vpc_id      = aws_vpc.main.id
}

resource "aws_security_group" "valkey" {
  name        = "${var.name_prefix}-valkey"
  description = "Valkey: from signaling, tools and media agents"
  vpc_id      = aws_vpc.main.id
}

resource "aws_vpc_security_group_ingress_rule" "public_alb_from_cloudfront" {
  security_group_id = aws_security_group.public_alb.id
  prefix_list_id    = data.aws_ec2_managed_prefix_list.cloudfront.id
  ip_protocol       = "tcp"
  from_port         = 80
  to_port           = 80
}

resource "aws_vpc_security_group_egress_rule" "public_alb_to_signaling" {
  security_group_id            = aws_security_group.public_alb.id
  referenced_security_group_id = aws_security_group.signaling.id
  ip_protocol                  = "tcp"
  from_port                    = 8000
  to_port                      = 8000
}

resource "aws_vpc_security_group_ingress_rule" "signaling_from_public_alb" {
  security_group_id            = aws_security_group.signaling.id
  referenced_security_group_id = aws_security_group.public_alb.id
  ip_protocol                  = "tcp"
  from_port                    = 8000
  to_port                      = 8000
}

resource "aws_vpc_security_group_ingress_rule" "tools_alb_from_agent" {
  security_group_id            = aws_security_group.tools_alb.id
  referenced_security_group_id = aws_security_group.agent.id
  ip_protocol                  = "tcp"
  from_port                    = 80
  to_port                      = 80
}

resource "aws_vpc_security_group_egress_rule" "tools_alb_to_tools" {
  security_group_id            = aws_security_group.tools_alb.id
  referenced_security_group_id = aws_security_group.tools.id
  ip_protocol                  = "tcp"
  from_port                    = 8001
  to_port                      = 8001
}

resource "aws_vpc_security_group_ingress_rule" "tools_from_tools_alb" {
  security_group_id            = aws_security_group.tools.id
  referenced_security_group_id = aws_security_group.tools_alb.id
  ip_protocol                  = "tcp"
  from_port                    = 8001
  to_port                      = 8001
}

resource "aws_vpc_security_group_ingress_rule" "valkey_from_services" {
  for_each = {
    signaling = aws_security_group.signaling.id
    tools     = aws_security_group.tools.id
    agent     = aws_security_group.agent.id
  }

  security_group_id            = aws_security_group.valkey.id
  referenced_security_group_id = each.value
  ip_protocol                  = "tcp"
  from_port                    = 6379
  to_port                      = 6379
}

resource "aws_vpc_security_group_egress_rule" "services_to_anywhere" {
  for_each = {
    signaling = aws_security_group.signaling.id
    tools     = aws_security_group.tools.id
    agent     = aws_security_group.agent.id
  }

  security_group_id = each.value
  cidr_ipv4         = "0.0.0.0/0"
  ip_protocol       = "-1"
}
