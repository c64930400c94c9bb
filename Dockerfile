# Frontdesk: the web application and the outbox worker, one image.
# Build: docker build -t frontdesk .    Run everything: docker compose up (see README).

# --- build: the wheel and its dependencies, compiled where needed -------------------------------
FROM python:3.12.8-slim-bookworm AS build

ENV PIP_DISABLE_PIP_VERSION_CHECK=1 \
    PIP_NO_CACHE_DIR=1

WORKDIR /src
COPY pyproject.toml README.md LICENSE NOTICE ./
COPY src ./src
RUN python -m pip wheel --no-cache-dir --wheel-dir /wheels .

# --- runtime: the installed wheel only, run by an unprivileged user -----------------------------
FROM python:3.12.8-slim-bookworm AS runtime

ENV PYTHONDONTWRITEBYTECODE=1 \
    PYTHONUNBUFFERED=1 \
    PIP_DISABLE_PIP_VERSION_CHECK=1 \
    FRONTDESK_PRACTICE_FILE=/srv/frontdesk/practice/practice.yaml

COPY --from=build /wheels /wheels
RUN python -m pip install --no-cache-dir --no-index --find-links=/wheels frontdesk \
    && rm -rf /wheels \
    && groupadd --system --gid 10001 frontdesk \
    && useradd --system --uid 10001 --gid frontdesk --home-dir /srv/frontdesk \
        --shell /usr/sbin/nologin frontdesk \
    && mkdir -p /srv/frontdesk/practice \
    && chown -R frontdesk:frontdesk /srv/frontdesk

WORKDIR /srv/frontdesk
USER frontdesk:frontdesk
EXPOSE 8000

# /healthz answers 200 only while the safety screen, the database and the keys all work.
# It is asked for by the public URL's host name: production answers no other Host (a request
# naming 127.0.0.1 gets 400, and the container would never be healthy).
HEALTHCHECK --interval=30s --timeout=5s --start-period=20s --retries=3 \
    CMD ["python", "-c", "import os, sys, urllib.parse, urllib.request; host = urllib.parse.urlsplit(os.environ.get('FRONTDESK_PUBLIC_URL') or 'http://localhost').hostname; request = urllib.request.Request('http://127.0.0.1:8000/healthz', headers={'Host': host}); sys.exit(0 if urllib.request.urlopen(request, timeout=4).status == 200 else 1)"]

CMD ["frontdesk", "serve", "--host", "0.0.0.0", "--port", "8000"]
