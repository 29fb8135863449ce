# One image for web, worker and beat (docker-compose.yml picks the command).
FROM python:3.11-slim

ENV PYTHONDONTWRITEBYTECODE=1 \
    PYTHONUNBUFFERED=1 \
    PIP_NO_CACHE_DIR=1 \
    ATLAS_VAR_DIR=/app/var

WORKDIR /app

# Dependencies first, so a code change does not reinstall them.
COPY pyproject.toml README.md ./
RUN pip install --upgrade pip && pip install .

COPY . .

# Static files are collected at build time; the throwaway key only lets settings load.
RUN DJANGO_SECRET_KEY=collectstatic-only python manage.py collectstatic --noinput \
    && rm -f /app/var/secret_key \
    && useradd --create-home --uid 1000 atlas \
    && mkdir -p /app/backups \
    && chown -R atlas /app/var /app/backups

USER atlas
EXPOSE 8000
CMD ["gunicorn", "config.wsgi", "--bind", "0.0.0.0:8000", "--workers", "3", "--access-logfile", "-"]
