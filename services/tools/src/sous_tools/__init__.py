"""Sous tools service."""
