"""All Celery wiring lives here; tasks themselves stay thin in each app's tasks.py."""

import os

from celery import Celery
from celery.schedules import crontab

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "config.settings")

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
}
