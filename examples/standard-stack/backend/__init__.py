"""The backend service."""
