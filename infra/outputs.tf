output "frontend_url" {
  description = "Open this: the page and its /api, over HTTPS."
  value       = "https://${aws_cloudfront_distribution.frontend.domain_name}"
}

output "frontend_bucket" {
  description = "Upload the built frontend (frontend/dist) here."
  value       = aws_s3_bucket.frontend.id
}

output "cloudfront_distribution_id" {
  description = "Invalidate it after uploading a new frontend."
  value       = aws_cloudfront_distribution.frontend.id
}

output "ecr_repository_urls" {
  description = "Where to push each image, by service."
  value       = { for name, repository in aws_ecr_repository.images : name => repository.repository_url }
}

output "agent_runtime_arn" {
  description = "The media agent's AgentCore runtime (signaling's AGENTCORE_RUNTIME_ARN)."
  value       = aws_bedrockagentcore_agent_runtime.media_agent.agent_runtime_arn
}

output "agent_runtime_id" {
  description = "For scripts/agentcore_status.py, which prints the runtime's status and failure reason."
  value       = aws_bedrockagentcore_agent_runtime.media_agent.agent_runtime_id
}

output "kvs_channel_arn" {
  description = "The KVS signaling channel that provides the media agents' TURN servers."
  value       = awscc_kinesisvideo_signaling_channel.turn.arn
}

output "valkey_endpoint" {
  description = "Primary endpoint of Valkey (TLS), reachable from the private subnets only."
  value       = aws_elasticache_replication_group.valkey.primary_endpoint_address
}

output "tools_url" {
  description = "The tools service as the media agents reach it (internal ALB)."
  value       = local.agent_environment.TOOLS_URL
}

output "cognito_user_pool_id" {
  description = "Create users here (the pool is invite-only)."
  value       = aws_cognito_user_pool.users.id
}

output "cognito_client_id" {
  description = "The frontend's app client id (the audience signaling checks)."
  value       = aws_cognito_user_pool_client.frontend.id
}

output "cognito_sign_in_domain" {
  description = "The hosted sign-in page's domain."
  value       = "${aws_cognito_user_pool_domain.users.domain}.auth.${var.region}.amazoncognito.com"
}
