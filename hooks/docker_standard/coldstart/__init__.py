"""``docker-standard cold-start``: a fresh clone's ``down -v && up`` on a real engine (DS4xx).

The package is imported only by the ``cold-start`` command: the static checks never load it,
and it needs the Docker SDK (the optional ``cold-start`` extra) only once it runs.
"""

from __future__ import annotations
