# Build wheels in one stage, run as an unprivileged user in a slim second one.
FROM python:3.11-slim AS build
WORKDIR /src
COPY pyproject.toml README.md ./
COPY bot bot
COPY storage storage
RUN pip wheel --no-cache-dir --wheel-dir /wheels .

FROM python:3.11-slim
RUN useradd --create-home --uid 10001 jol && mkdir /data && chown jol /data
WORKDIR /app
COPY --from=build /wheels /wheels
RUN pip install --no-cache-dir /wheels/* && rm -rf /wheels
COPY content content
COPY locales locales
ENV JOL_CONTENT_DIR=/app/content \
    JOL_LOCALES_DIR=/app/locales \
    JOL_DATA_DIR=/data \
    PYTHONUNBUFFERED=1
USER jol
VOLUME /data
CMD ["jol", "run"]
