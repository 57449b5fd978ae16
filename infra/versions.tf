terraform {
  required_version = ">= 1.7"

  required_providers {
    # aws_bedrockagentcore_agent_runtime first shipped in 6.x.
    aws = {
      source  = "hashicorp/aws"
      version = ">= 6.21, < 7.0"
    }
    # The KVS signaling channel exists only in the Cloud Control provider.
    awscc = {
      source  = "hashicorp/awscc"
      version = ">= 1.30, < 2.0"
    }
    random = {
      source  = "hashicorp/random"
      version = ">= 3.6, < 4.0"
    }
  }
}
