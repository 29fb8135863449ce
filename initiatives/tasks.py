from celery import shared_task

from initiatives.backup import backup_dataset as write_backup


@shared_task(name="initiatives.backup_dataset")
def backup_dataset():
    """Nightly: write a dataset backup a curator can reload with load_dataset."""
    return str(write_backup())
