"""Sous media-agent service."""
