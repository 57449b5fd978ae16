"""HTTP API of the signaling service."""
