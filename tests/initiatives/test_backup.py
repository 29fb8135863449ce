"""Nightly backups: the dataset in load_dataset's format, complete or not at all, reloadable."""

import filecmp

import pytest
from django.core.management import call_command

from initiatives import backup
from initiatives.models import Participation
from tests.conftest import database_checksum

pytestmark = pytest.mark.django_db


def same_tree(left, right) -> bool:
    compared = filecmp.dircmp(left, right, ignore=[backup.MANIFEST, "FORMAT.md"])
    pending = [compared]
    while pending:
        c = pending.pop()
        if c.left_only or c.right_only or c.diff_files or c.funny_files:
            return False
        pending.extend(c.subdirs.values())
    return True


def test_a_backup_reproduces_the_dataset_files_byte_for_byte(tmp_path, data_dir):
    folder = backup.backup_dataset(tmp_path)
    assert folder.name.startswith("atlas-") and backup.verify_backup(folder) == []
    assert same_tree(folder, data_dir)


def test_a_backup_restores_what_was_lost(tmp_path, capsys):
    folder = backup.backup_dataset(tmp_path)
    before = database_checksum()
    Participation.objects.filter(initiative__slug="clean-network").delete()
    assert database_checksum() != before
    call_command("load_dataset", str(folder))
    assert Participation.objects.filter(initiative__slug="clean-network").count() > 0
    call_command("load_dataset", str(folder))
    assert "nothing written" in capsys.readouterr().out


def test_only_the_newest_backups_are_kept(tmp_path, settings):
    for name in ("atlas-20250101T000000Z", "atlas-20250102T000000Z", "atlas-20250103T000000Z"):
        (tmp_path / name).mkdir()
    newest = backup.backup_dataset(tmp_path, keep=2)
    assert sorted(p.name for p in tmp_path.iterdir()) == ["atlas-20250103T000000Z", newest.name]


def test_a_failed_backup_leaves_nothing_behind(tmp_path, monkeypatch):
    def fail(root):
        (root / "actors").mkdir(parents=True)
        raise OSError("disk full")

    monkeypatch.setattr(backup, "export_dataset", fail)
    with pytest.raises(OSError, match="disk full"):
        backup.backup_dataset(tmp_path)
    assert list(tmp_path.iterdir()) == []


def test_a_damaged_backup_is_detected(tmp_path):
    folder = backup.backup_dataset(tmp_path)
    (folder / "topics.yaml").write_text("tampered\n", encoding="utf-8")
    assert backup.verify_backup(folder) == ["topics.yaml"]


def test_the_nightly_task_and_the_command_write_a_backup(tmp_path, settings, capsys):
    from initiatives.tasks import backup_dataset

    settings.ATLAS_BACKUP_DIR = tmp_path
    written = backup_dataset.apply().get()
    call_command("backup_dataset")
    assert backup.verify_backup(written) == []
    assert f"Backup written to {tmp_path}" in capsys.readouterr().out


@pytest.mark.django_db(transaction=True)
def test_a_backup_outside_any_transaction_reads_one_snapshot(tmp_path, data_dir):
    """As the worker runs it: its own transaction (REPEATABLE READ on PostgreSQL)."""
    call_command("load_dataset", verbosity=0)
    folder = backup.backup_dataset(tmp_path)
    assert same_tree(folder, data_dir)
