import filecmp
import shutil

import pytest
import yaml
from django.core.management import call_command

from initiatives.dataset import yaml_io
from initiatives.dataset.reader import read_dataset
from initiatives.dataset.writer import write_dataset
from initiatives.models import Participation, Principle
from tests.conftest import database_checksum

pytestmark = pytest.mark.django_db


def test_loading_twice_changes_nothing(data_dir, capsys):
    before = database_checksum()
    call_command("load_dataset", str(data_dir))
    assert "already up to date, nothing written" in capsys.readouterr().out
    assert database_checksum() == before


def test_a_second_write_reports_no_change(data_dir):
    stats = write_dataset(read_dataset(data_dir))
    assert not stats.changed
    assert stats.lines() == [
        line for line in stats.lines() if " 0 created, 0 updated, 0 deleted" in line
    ]


def test_export_reproduces_the_files_byte_for_byte(data_dir, tmp_path):
    call_command("export_dataset", str(tmp_path))
    yaml_files = sorted(p.relative_to(data_dir) for p in data_dir.rglob("*.yaml"))
    exported = sorted(p.relative_to(tmp_path) for p in tmp_path.rglob("*.yaml"))
    assert exported == yaml_files
    match, mismatch, errors = filecmp.cmpfiles(
        data_dir, tmp_path, [str(p) for p in yaml_files], shallow=False
    )
    assert mismatch == [] and errors == []


def test_a_change_in_a_file_updates_exactly_that_row(data_dir, tmp_path):
    root = tmp_path / "data"
    shutil.copytree(data_dir, root)
    path = root / "initiatives/gids.yaml"
    document = yaml.safe_load(path.read_text())
    document["principles"][6]["title"] = "No backdoors (edited)"
    removed = document["participations"].pop()
    path.write_text(yaml_io.dump(document))
    before = Participation.objects.count()

    stats = write_dataset(read_dataset(root))

    assert Principle.objects.get(initiative__slug="gids", order=7).title == "No backdoors (edited)"
    assert Participation.objects.count() == before - 1
    assert not Participation.objects.filter(
        initiative__slug="gids", actor__slug=removed["actor"]
    ).exists()
    assert len(stats.updated["principles"]) == 1 and stats.deleted["participations"] == 1


def test_dry_run_writes_nothing(data_dir, tmp_path, capsys):
    root = tmp_path / "data"
    shutil.copytree(data_dir, root)
    path = root / "topics.yaml"
    path.write_text(path.read_text().replace("name: Backdoors", "name: Back doors"))
    before = database_checksum()
    call_command("load_dataset", str(root), "--dry-run")
    out = capsys.readouterr().out
    assert "topics: 0 created, 1 updated, 0 deleted" in out and "would change" in out
    assert database_checksum() == before


def test_load_shows_progress(data_dir, capsys):
    call_command("load_dataset", str(data_dir))
    err = capsys.readouterr().err
    assert "Reading" in err and "participations: " in err and "links synced" in err


def test_the_audit_trail_records_each_load_with_the_links_it_leaves(data_dir, tmp_path):
    """A load that changes only which sources a record cites is in its history, and each
    history row carries the links, so a diff names exactly what moved."""
    china = Participation.objects.get(initiative__slug="gids", actor__slug="chn")
    cited = {s.key for s in china.sources.all()}
    assert {link.source.key for link in china.history.first().sources.all()} == cited

    root = tmp_path / "data"
    shutil.copytree(data_dir, root)
    path = root / "initiatives/gids.yaml"
    document = yaml.safe_load(path.read_text())
    dropped = document["participations"][0]["sources"].pop()
    path.write_text(yaml_io.dump(document))
    write_dataset(read_dataset(root))

    record = china.history.first()
    assert record.history_change_reason == "load_dataset" and record.history_type == "~"
    assert {link.source.key for link in record.sources.all()} == cited - {dropped}
    (change,) = record.diff_against(record.prev_record).changes
    assert change.field == "sources"
