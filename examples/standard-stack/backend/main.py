"""Entry point of the backend service (a stand-in for the real application)."""

import time

if __name__ == "__main__":
    while True:
        time.sleep(60)
