# One VPC across the AgentCore-supported zones: public subnets for the ALB and the NAT gateway,
# private subnets for the AgentCore runtime, the Fargate tasks and Valkey. Subnets are placed by
# AZ id, never by AZ name, because names map to different physical zones in each account.

locals {
  zone_count = length(var.availability_zone_ids)
}

resource "aws_vpc" "main" {
  cidr_block           = var.vpc_cidr
  enable_dns_support   = true
  enable_dns_hostnames = true

  tags = { Name = var.name_prefix }
}

resource "aws_subnet" "public" {
  count = local.zone_count

  vpc_id               = aws_vpc.main.id
  availability_zone_id = var.availability_zone_ids[count.index]
  cidr_block           = cidrsubnet(var.vpc_cidr, 8, count.index)

  tags = { Name = "${var.name_prefix}-public-${var.availability_zone_ids[count.index]}" }
}

resource "aws_subnet" "private" {
  count = local.zone_count

  vpc_id               = aws_vpc.main.id
  availability_zone_id = var.availability_zone_ids[count.index]
  cidr_block           = cidrsubnet(var.vpc_cidr, 4, count.index + 1)

  tags = { Name = "${var.name_prefix}-private-${var.availability_zone_ids[count.index]}" }
}

resource "aws_internet_gateway" "main" {
  vpc_id = aws_vpc.main.id

  tags = { Name = var.name_prefix }
}

resource "aws_eip" "nat" {
  domain = "vpc"

  tags = { Name = "${var.name_prefix}-nat" }
}

# One NAT gateway (cost): private subnets reach Bedrock, KVS TURN, ECR and Cognito through it.
resource "aws_nat_gateway" "main" {
  allocation_id = aws_eip.nat.id
  subnet_id     = aws_subnet.public[0].id

  tags       = { Name = var.name_prefix }
  depends_on = [aws_internet_gateway.main]
}

resource "aws_route_table" "public" {
  vpc_id = aws_vpc.main.id

  route {
    cidr_block = "0.0.0.0/0"
    gateway_id = aws_internet_gateway.main.id
  }

  tags = { Name = "${var.name_prefix}-public" }
}

resource "aws_route_table_association" "public" {
  count = local.zone_count

  subnet_id      = aws_subnet.public[count.index].id
  route_table_id = aws_route_table.public.id
}

resource "aws_route_table" "private" {
  vpc_id = aws_vpc.main.id

  route {
    cidr_block     = "0.0.0.0/0"
    nat_gateway_id = aws_nat_gateway.main.id
  }

  tags = { Name = "${var.name_prefix}-private" }
}

resource "aws_route_table_association" "private" {
  count = local.zone_count

  subnet_id      = aws_subnet.private[count.index].id
  route_table_id = aws_route_table.private.id
}
