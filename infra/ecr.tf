# One repository per image; tags are immutable so a tag always names the same build.
locals {
  images = toset(["signaling", "tools", "media-agent"])
}

resource "aws_ecr_repository" "images" {
  for_each = local.images

  name                 = "${var.name_prefix}/${each.key}"
  image_tag_mutability = "IMMUTABLE"

  image_scanning_configuration {
    scan_on_push = true
  }
}
