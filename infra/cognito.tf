# Sign-in for the frontend; signaling checks the ID tokens this pool issues (AUTH_MODE=jwt).

resource "aws_cognito_user_pool" "users" {
  name                     = var.name_prefix
  username_attributes      = ["email"]
  auto_verified_attributes = ["email"]
  deletion_protection      = "ACTIVE"
  mfa_configuration        = "OPTIONAL"

  software_token_mfa_configuration {
    enabled = true
  }

  # Invite-only: every user is a paying session on Nova Sonic.
  admin_create_user_config {
    allow_admin_create_user_only = true
  }

  password_policy {
    minimum_length    = 12
    require_lowercase = true
    require_numbers   = true
    require_symbols   = false
    require_uppercase = true
  }

  account_recovery_setting {
    recovery_mechanism {
      name     = "verified_email"
      priority = 1
    }
  }
}

locals {
  # Where the sign-in returns to: the CloudFront URL plus signaling's OIDC_REDIRECT_PATH ("/",
  # ecs.tf). Cognito compares the page's redirect_uri with it exactly.
  sign_in_url    = "https://${aws_cloudfront_distribution.frontend.domain_name}/"
  sign_in_domain = "${aws_cognito_user_pool_domain.users.domain}.auth.${var.region}.amazoncognito.com"
}

# A public client (a browser cannot keep a secret): authorization code flow, which Cognito runs
# with PKCE when the page sends a code_challenge (S256); the page always does.
resource "aws_cognito_user_pool_client" "frontend" {
  name         = "${var.name_prefix}-frontend"
  user_pool_id = aws_cognito_user_pool.users.id

  generate_secret                      = false
  explicit_auth_flows                  = ["ALLOW_USER_SRP_AUTH", "ALLOW_REFRESH_TOKEN_AUTH"]
  allowed_oauth_flows_user_pool_client = true
  allowed_oauth_flows                  = ["code"]
  allowed_oauth_scopes                 = ["openid", "email"] # signaling's OIDC_SCOPES (ecs.tf)
  supported_identity_providers         = ["COGNITO"]
  callback_urls                        = [local.sign_in_url]
  logout_urls                          = [local.sign_in_url]
  prevent_user_existence_errors        = "ENABLED"
  # Sign out revokes the page's refresh token.
  enable_token_revocation = true

  # The page refreshes its ID token shortly before it expires. Twelve hours of refreshing cover
  # a day of cooking; the refresh token lives only in the tab (sessionStorage).
  id_token_validity      = 60
  access_token_validity  = 60
  refresh_token_validity = 12
  token_validity_units {
    id_token      = "minutes"
    access_token  = "minutes"
    refresh_token = "hours"
  }
}

# The hosted sign-in page the code flow redirects to.
resource "aws_cognito_user_pool_domain" "users" {
  domain       = coalesce(var.cognito_domain_prefix, "${var.name_prefix}-${local.account_id}")
  user_pool_id = aws_cognito_user_pool.users.id
}
