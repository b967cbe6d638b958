"""The bot service."""
