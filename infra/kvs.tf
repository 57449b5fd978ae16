# The Kinesis Video Streams signaling channel whose managed TURN servers the media agents use:
# in AgentCore nothing can reach the agent directly, so all media is relayed.
resource "awscc_kinesisvideo_signaling_channel" "turn" {
  name                = local.kvs_channel_name
  type                = "SINGLE_MASTER"
  message_ttl_seconds = 60
}
