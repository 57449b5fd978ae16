variable "region" {
  description = "AWS region. AgentCore Runtime in VPC mode needs subnets in its supported AZs there."
  type        = string
  default     = "us-east-1"
}

variable "name_prefix" {
  description = "Prefix of every resource name (lower case letters, digits and dashes)."
  type        = string
  default     = "sous"

  validation {
    condition     = can(regex("^[a-z][a-z0-9-]{1,19}$", var.name_prefix))
    error_message = "name_prefix must be 2-20 lower case letters, digits or dashes, starting with a letter."
  }
}

variable "availability_zone_ids" {
  description = <<-EOT
    AZ ids (not names) of the subnets, one public and one private subnet each. AZ names map to
    different zones in every account; AgentCore Runtime supports only some zone ids
    (us-east-1: use1-az1, use1-az2, use1-az4).
  EOT
  type        = list(string)
  default     = ["use1-az1", "use1-az2", "use1-az4"]

  validation {
    condition     = length(var.availability_zone_ids) >= 2 && alltrue([for id in var.availability_zone_ids : can(regex("^[a-z]{2,5}[0-9]+-az[0-9]+$", id))])
    error_message = "Give at least two AZ ids such as use1-az1 (AZ names such as us-east-1a are not ids)."
  }
}

variable "vpc_cidr" {
  description = "CIDR of the VPC: /24 public subnets come from its first /20, /20 private subnets after it."
  type        = string
  default     = "10.40.0.0/16"
}

variable "image_tag" {
  description = "Tag of the sous-signaling, sous-tools and sous-media-agent images in ECR (e.g. the git commit). Tags are immutable."
  type        = string

  validation {
    condition     = can(regex("^[A-Za-z0-9_][A-Za-z0-9_.-]{0,127}$", var.image_tag)) && var.image_tag != "latest"
    error_message = "image_tag must be a Docker tag other than latest (ECR tags here are immutable)."
  }
}

variable "nova_sonic_model_id" {
  description = "Bedrock model id the media agent invokes for speech-to-speech (its IAM role may invoke only this one)."
  type        = string
  default     = "amazon.nova-2-sonic-v1:0"
}

variable "agent_idle_session_timeout_seconds" {
  description = "AgentCore ends a session (and its microVM) after this long without an invocation."
  type        = number
  default     = 900
}

variable "agent_max_lifetime_seconds" {
  description = "AgentCore ends a session after this long, however busy (at most 8 hours)."
  type        = number
  default     = 28800
}

variable "valkey_node_type" {
  description = "ElastiCache node type of the Valkey replication group."
  type        = string
  default     = "cache.t4g.small"
}

variable "valkey_replicas" {
  description = "Valkey read replicas in other AZs; at least 1 gives automatic failover, so sessions and timers survive a node loss."
  type        = number
  default     = 1

  validation {
    condition     = var.valkey_replicas >= 0 && var.valkey_replicas <= 5
    error_message = "valkey_replicas must be between 0 and 5."
  }
}

variable "signaling_desired_count" {
  description = "Signaling tasks on Fargate (stateless; all state is in Valkey)."
  type        = number
  default     = 2
}

variable "tools_desired_count" {
  description = "Tools tasks on Fargate (timers fire exactly once whichever task fires them)."
  type        = number
  default     = 2
}

variable "task_cpu" {
  description = "Fargate CPU units of each signaling and tools task."
  type        = number
  default     = 512
}

variable "task_memory" {
  description = "Fargate memory (MiB) of each signaling and tools task."
  type        = number
  default     = 1024
}

variable "cognito_domain_prefix" {
  description = "Prefix of the Cognito hosted sign-in domain (globally unique); empty means <name_prefix>-<account id>."
  type        = string
  default     = ""
}

variable "cloudfront_price_class" {
  description = "CloudFront price class of the frontend distribution."
  type        = string
  default     = "PriceClass_100"
}

variable "log_retention_days" {
  description = "How long CloudWatch keeps the services' logs."
  type        = number
  default     = 30
}
