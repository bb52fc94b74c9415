# Build wheels in one stage, run as an unprivileged user in a slim, read-only second one.
FROM python:3.11-slim AS build
WORKDIR /src
COPY requirements.lock pyproject.toml README.md ./
COPY bot bot
COPY storage storage
# The lock file pins every dependency, so two builds of one commit install the same versions.
RUN pip wheel --no-cache-dir --wheel-dir /wheels --constraint requirements.lock .

FROM python:3.11-slim
# /data/models exists in the image so that a volume mounted there (the scaled replicas') starts
# out owned by jol, as Docker copies the folder's owner into a new named volume.
RUN useradd --no-create-home --home-dir /nonexistent --uid 10001 jol \
    && install -d -o jol -g jol -m 0700 /data /data/models
COPY --from=build /wheels /wheels
RUN pip install --no-cache-dir --no-index /wheels/* && rm -rf /wheels
WORKDIR /app
# Defaults baked in; docker-compose.yml mounts the live folders over them.
COPY content content
COPY locales locales
ENV JOL_CONTENT_DIR=/app/content \
    JOL_LOCALES_DIR=/app/locales \
    JOL_DATA_DIR=/data \
    JOL_HEALTH_LISTEN=127.0.0.1:8081 \
    MPLCONFIGDIR=/tmp/matplotlib \
    PYTHONDONTWRITEBYTECODE=1 \
    PYTHONUNBUFFERED=1
USER jol
VOLUME /data
EXPOSE 8080
HEALTHCHECK --interval=30s --timeout=5s --start-period=30s --retries=3 CMD ["jol", "health"]
CMD ["jol", "run"]
