"""Code shared by the services."""
