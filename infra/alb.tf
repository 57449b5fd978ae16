# Two load balancers: a public one for signaling that only CloudFront may call (it must send the
# secret origin header), and an internal one through which media agents reach the tools.

resource "random_password" "origin_verify" {
  length  = 40
  special = false
}

resource "aws_lb" "signaling" {
  name                       = "${var.name_prefix}-signaling"
  load_balancer_type         = "application"
  internal                   = false
  subnets                    = aws_subnet.public[*].id
  security_groups            = [aws_security_group.public_alb.id]
  drop_invalid_header_fields = true
}

resource "aws_lb_target_group" "signaling" {
  name                 = "${var.name_prefix}-signaling"
  port                 = 8000
  protocol             = "HTTP"
  target_type          = "ip"
  vpc_id               = aws_vpc.main.id
  deregistration_delay = 30

  health_check {
    path    = "/health"
    matcher = "200"
  }
}

resource "aws_lb_listener" "signaling" {
  load_balancer_arn = aws_lb.signaling.arn
  port              = 80
  protocol          = "HTTP"

  default_action {
    type = "fixed-response"

    fixed_response {
      content_type = "application/json"
      message_body = "{\"detail\": \"Use the Sous page's address (CloudFront), not the load balancer.\"}"
      status_code  = "403"
    }
  }
}

resource "aws_lb_listener_rule" "signaling_from_cloudfront" {
  listener_arn = aws_lb_listener.signaling.arn
  priority     = 10

  condition {
    http_header {
      http_header_name = "X-Sous-Origin-Verify"
      values           = [random_password.origin_verify.result]
    }
  }

  action {
    type             = "forward"
    target_group_arn = aws_lb_target_group.signaling.arn
  }
}

resource "aws_lb" "tools" {
  name               = "${var.name_prefix}-tools"
  load_balancer_type = "application"
  internal           = true
  subnets            = aws_subnet.private[*].id
  security_groups    = [aws_security_group.tools_alb.id]
}

resource "aws_lb_target_group" "tools" {
  name                 = "${var.name_prefix}-tools"
  port                 = 8001
  protocol             = "HTTP"
  target_type          = "ip"
  vpc_id               = aws_vpc.main.id
  deregistration_delay = 30

  health_check {
    path    = "/health"
    matcher = "200"
  }
}

resource "aws_lb_listener" "tools" {
  load_balancer_arn = aws_lb.tools.arn
  port              = 80
  protocol          = "HTTP"

  default_action {
    type             = "forward"
    target_group_arn = aws_lb_target_group.tools.arn
  }
}
