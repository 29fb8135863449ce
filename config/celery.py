"""All Celery wiring lives here; tasks themselves stay thin in each app's tasks.py."""

import os
from datetime import timedelta

from celery import Celery
from celery.schedules import crontab

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "config.settings")

from django.conf import settings  # noqa: E402  (needs the settings module set above)

app = Celery("atlas")
app.config_from_object("django.conf:settings", namespace="CELERY")
app.autodiscover_tasks()

# The nightly full refresh. django-celery-beat's database scheduler copies this entry into
# its tables when beat starts, where curators can see it in the admin.
app.conf.beat_schedule = {
    "nightly-refresh-views": {
        "task": "dashboard.refresh_views",
        "schedule": crontab(hour=3, minute=15),
    },
    # A refresh owed by curated changes whose own queued refresh was lost.
    "catch-up-refresh": {
        "task": "dashboard.catch_up",
        "schedule": timedelta(seconds=settings.ATLAS_CATCH_UP_SECONDS),
    },
    # A copy of the dataset in the load_dataset format, kept for ATLAS_BACKUP_KEEP nights.
    "nightly-dataset-backup": {
        "task": "initiatives.backup_dataset",
        "schedule": crontab(hour=2, minute=45),
    },
}
