# Valkey for everything the services share: sessions and ICE queues (signaling), the agent
# registry and timer events (media agents), timers (tools). TLS in transit, encrypted at rest;
# with a replica, failover keeps timers through the loss of a node.

resource "aws_elasticache_subnet_group" "valkey" {
  name       = "${var.name_prefix}-valkey"
  subnet_ids = aws_subnet.private[*].id
}

resource "aws_elasticache_replication_group" "valkey" {
  replication_group_id = "${var.name_prefix}-valkey"
  description          = "Sous sessions, agent registry and timers"

  engine               = "valkey"
  engine_version       = "8.0"
  parameter_group_name = "default.valkey8"
  node_type            = var.valkey_node_type
  num_cache_clusters   = 1 + var.valkey_replicas
  port                 = 6379

  automatic_failover_enabled = var.valkey_replicas > 0
  multi_az_enabled           = var.valkey_replicas > 0

  subnet_group_name  = aws_elasticache_subnet_group.valkey.name
  security_group_ids = [aws_security_group.valkey.id]

  at_rest_encryption_enabled = true
  transit_encryption_enabled = true
  snapshot_retention_limit   = 1
}

locals {
  # rediss: TLS, as transit encryption requires.
  redis_url = "rediss://${aws_elasticache_replication_group.valkey.primary_endpoint_address}:6379/0"
}
