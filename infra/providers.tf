# Credentials come from the environment (AWS_PROFILE, SSO, instance role): never from this code.
provider "aws" {
  region = var.region

  default_tags {
    tags = {
      Project   = "sous"
      ManagedBy = "terraform"
    }
  }
}

provider "awscc" {
  region = var.region
}

data "aws_caller_identity" "current" {}

data "aws_partition" "current" {}

locals {
  account_id = data.aws_caller_identity.current.account_id
  partition  = data.aws_partition.current.partition
}
