"""DS4xx: what a real cold start shows (``docker-standard cold-start`` only)."""
