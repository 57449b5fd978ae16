"""Sous signaling service."""
