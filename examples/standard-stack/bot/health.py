"""Exit non-zero when the bot service is not healthy: it must reach its dependencies."""

import os
import socket
import sys


def main() -> int:
    host = os.environ.get("HEALTH_HOST", "redis")
    try:
        with socket.create_connection((host, 6379), timeout=3):
            return 0
    except OSError:
        return 1


if __name__ == "__main__":
    sys.exit(main())
