"""Dataset backups: the whole curated dataset in the format load_dataset reads.

A backup is a folder `atlas-YYYYMMDDTHHMMSSZ/` under ATLAS_BACKUP_DIR, written into a
temporary name and renamed when complete, with a MANIFEST of each file's SHA-256. Restore
is `manage.py load_dataset <folder>`. The newest ATLAS_BACKUP_KEEP folders are kept.
"""

import hashlib
import shutil
from pathlib import Path

from django.conf import settings
from django.db import connection, transaction
from django.utils import timezone

from initiatives.dataset.exporter import export_dataset

PREFIX = "atlas-"
MANIFEST = "MANIFEST"


def backup_dataset(root: Path | None = None, keep: int | None = None) -> Path:
    root = Path(root or settings.ATLAS_BACKUP_DIR)
    keep = settings.ATLAS_BACKUP_KEEP if keep is None else keep
    root.mkdir(parents=True, exist_ok=True)
    final = root / f"{PREFIX}{timezone.now():%Y%m%dT%H%M%SZ}"
    partial = root / f".partial-{final.name}"
    shutil.rmtree(partial, ignore_errors=True)
    try:
        outermost = not connection.in_atomic_block
        with transaction.atomic():
            if connection.vendor == "postgresql" and outermost:
                # One snapshot of every table, so an edit committed mid-export cannot leave
                # the backup half before and half after it. (Inside a caller's transaction
                # the isolation level is the caller's.)
                with connection.cursor() as cursor:
                    cursor.execute("SET TRANSACTION ISOLATION LEVEL REPEATABLE READ READ ONLY")
            written = export_dataset(partial)
        lines = [
            f"{hashlib.sha256(p.read_bytes()).hexdigest()}  {p.relative_to(partial).as_posix()}"
            for p in sorted(written)
        ]
        (partial / MANIFEST).write_text("\n".join(lines) + "\n", encoding="utf-8")
        if final.exists():  # two backups in the same second: the newer one wins
            shutil.rmtree(final)
        partial.rename(final)
    except BaseException:
        shutil.rmtree(partial, ignore_errors=True)
        raise
    for old in sorted(root.glob(f"{PREFIX}*"))[:-keep] if keep > 0 else []:
        shutil.rmtree(old)
    return final


def verify_backup(folder: Path) -> list[str]:
    """The files whose content no longer matches the MANIFEST (empty: intact)."""
    folder = Path(folder)
    bad = []
    for line in (folder / MANIFEST).read_text(encoding="utf-8").splitlines():
        digest, _, name = line.partition("  ")
        path = folder / name
        if not path.is_file() or hashlib.sha256(path.read_bytes()).hexdigest() != digest:
            bad.append(name)
    return bad
