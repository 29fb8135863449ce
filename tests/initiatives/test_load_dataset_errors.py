"""Every kind of bad dataset file is refused with its file, line and field, and writes nothing."""

import shutil
import subprocess
import sys

import pytest
import yaml
from django.core.management import CommandError, call_command

from initiatives.dataset import yaml_io
from tests.conftest import database_checksum

pytestmark = pytest.mark.django_db(transaction=False)


@pytest.fixture
def dataset_copy(tmp_path, data_dir):
    target = tmp_path / "data"
    shutil.copytree(data_dir, target)
    return target


def edit_yaml(path, change):
    document = yaml.safe_load(path.read_text())
    change(document)
    path.write_text(yaml_io.dump(document))


def line_of(path, needle: str) -> int:
    for number, line in enumerate(path.read_text().splitlines(), start=1):
        if needle in line:
            return number
    raise AssertionError(f"{needle!r} not in {path}")


def refused(root, capsys) -> str:
    before = database_checksum()
    with pytest.raises(CommandError, match="the database was not changed"):
        call_command("load_dataset", str(root))
    assert database_checksum() == before
    return capsys.readouterr().err


def test_unknown_actor(dataset_copy, capsys):
    path = dataset_copy / "initiatives/gids.yaml"
    edit_yaml(path, lambda d: d["participations"][0].update(actor="atlantis"))
    err = refused(dataset_copy, capsys)
    assert f"data/initiatives/gids.yaml:{line_of(path, 'actor: atlantis')}" in err
    assert "participations[0]" in err and "actor: unknown actor 'atlantis'" in err


def test_impossible_date(dataset_copy, capsys):
    path = dataset_copy / "initiatives/gids.yaml"
    edit_yaml(path, lambda d: d.update(announced_on="2020-13-08"))
    err = refused(dataset_copy, capsys)
    assert f"gids.yaml:{line_of(path, 'announced_on:')}" in err
    assert "announced_on: '2020-13-08' is not a real calendar date" in err


def test_date_in_the_wrong_format(dataset_copy, capsys):
    path = dataset_copy / "initiatives/gids.yaml"
    edit_yaml(path, lambda d: d["participations"][0].update(joined_on="8 Sep 2020"))
    err = refused(dataset_copy, capsys)
    assert "joined_on: '8 Sep 2020' is not a date as YYYY, YYYY-MM or YYYY-MM-DD" in err


def test_missing_source(dataset_copy, capsys):
    path = dataset_copy / "initiatives/gids.yaml"
    edit_yaml(path, lambda d: d["principles"][2].pop("sources"))
    err = refused(dataset_copy, capsys)
    assert "principles[2] (order 3): sources: is required" in err


def test_unknown_source_key(dataset_copy, capsys):
    path = dataset_copy / "measures.yaml"
    edit_yaml(path, lambda d: d["measures"][0].update(sources=["no-such-source"]))
    err = refused(dataset_copy, capsys)
    assert "data/measures.yaml:" in err and "unknown source 'no-such-source'" in err


def test_duplicate_key_in_a_mapping(dataset_copy, capsys):
    path = dataset_copy / "initiatives/gids.yaml"
    text = path.read_text()
    path.write_text(text.replace("kind: initiative\n", "kind: initiative\nkind: programme\n", 1))
    err = refused(dataset_copy, capsys)
    assert f"gids.yaml:{line_of(path, 'kind: programme')}" in err
    assert "duplicate key 'kind'" in err


def test_duplicate_slug_across_files(dataset_copy, capsys):
    edit_yaml(
        dataset_copy / "events.yaml",
        lambda d: d["events"].append({**d["events"][0], "slug": "gids-" + "placeholder"}),
    )
    gids = yaml.safe_load((dataset_copy / "initiatives/gids.yaml").read_text())
    taken = gids["events"][0]["slug"]
    edit_yaml(dataset_copy / "events.yaml", lambda d: d["events"][-1].update(slug=taken))
    err = refused(dataset_copy, capsys)
    assert f"duplicate event '{taken}'" in err


def test_wrong_type(dataset_copy, capsys):
    path = dataset_copy / "initiatives/gids.yaml"
    edit_yaml(path, lambda d: d["principles"][0].update(order="first"))
    err = refused(dataset_copy, capsys)
    assert "order: expected a whole number, got 'first'" in err


def test_list_where_text_belongs(dataset_copy, capsys):
    path = dataset_copy / "topics.yaml"
    edit_yaml(path, lambda d: d["topics"][0].update(name=["two", "names"]))
    err = refused(dataset_copy, capsys)
    assert "data/topics.yaml:" in err and "name: expected text, got list" in err


def test_unknown_field(dataset_copy, capsys):
    path = dataset_copy / "initiatives/gids.yaml"
    edit_yaml(path, lambda d: d["participations"][0].update(signed_by="someone"))
    err = refused(dataset_copy, capsys)
    assert f"gids.yaml:{line_of(path, 'signed_by:')}" in err and "signed_by: unknown field" in err


def test_malformed_yaml(dataset_copy, capsys):
    path = dataset_copy / "topics.yaml"
    path.write_text(path.read_text().replace("name: Backdoors", "name: [Backdoors", 1))
    err = refused(dataset_copy, capsys)
    assert "data/topics.yaml:" in err and "malformed YAML" in err


def test_truncated_yaml(dataset_copy, capsys):
    path = dataset_copy / "initiatives/clean-network.yaml"
    text = path.read_text()
    path.write_text(text[: len(text) // 2].rsplit("\n", 1)[0] + "\n  - '2020")
    err = refused(dataset_copy, capsys)
    assert "data/initiatives/clean-network.yaml:" in err


def test_oversized_file(dataset_copy, capsys):
    path = dataset_copy / "sources.yaml"
    path.write_text(path.read_text() + "#" * (3 * 1024 * 1024))
    err = refused(dataset_copy, capsys)
    assert "data/sources.yaml: file is" in err and "over the limit" in err


def test_not_utf8(dataset_copy, capsys):
    path = dataset_copy / "topics.yaml"
    path.write_bytes(path.read_bytes().replace(b"Backdoors", b"Backd\xff\xfeors", 1))
    err = refused(dataset_copy, capsys)
    assert "data/topics.yaml: not UTF-8 text" in err


def test_left_before_joined(dataset_copy, capsys):
    path = dataset_copy / "initiatives/gids.yaml"
    edit_yaml(path, lambda d: d["participations"][0].update(joined_on="2020-09-08", left_on="2019"))
    err = refused(dataset_copy, capsys)
    assert "left_on: 2019 is before joined_on 2020-09-08" in err


def test_file_name_must_match_slug(dataset_copy, capsys):
    (dataset_copy / "initiatives/gids.yaml").rename(dataset_copy / "initiatives/gids-copy.yaml")
    err = refused(dataset_copy, capsys)
    assert "'gids' does not match the file name 'gids-copy.yaml'" in err


def test_unknown_choice(dataset_copy, capsys):
    path = dataset_copy / "initiatives/clean-network.yaml"
    edit_yaml(path, lambda d: d["participations"][1].update(status="probably"))
    err = refused(dataset_copy, capsys)
    assert "status: 'probably' is not one of: confirmed, claimed, disputed, withdrawn" in err


def test_every_problem_is_reported_at_once(dataset_copy, capsys):
    edit_yaml(dataset_copy / "initiatives/gids.yaml", lambda d: d.update(status="sleeping"))
    edit_yaml(dataset_copy / "measures.yaml", lambda d: d["measures"][0].update(issuer="nobody"))
    err = refused(dataset_copy, capsys)
    assert "'sleeping' is not one of" in err and "unknown actor 'nobody'" in err


def test_the_command_exits_non_zero_naming_file_and_line(dataset_copy, tmp_path):
    path = dataset_copy / "initiatives/gids.yaml"
    edit_yaml(path, lambda d: d["participations"][0].update(actor="atlantis"))
    result = subprocess.run(
        [sys.executable, "manage.py", "load_dataset", str(dataset_copy)],
        capture_output=True,
        text=True,
        env={"ATLAS_VAR_DIR": str(tmp_path / "var"), "PATH": ""},
        timeout=120,
    )
    assert result.returncode != 0
    assert f"data/initiatives/gids.yaml:{line_of(path, 'actor: atlantis')}" in result.stderr


def test_url_with_characters_to_percent_encode(dataset_copy, capsys):
    path = dataset_copy / "sources.yaml"
    edit_yaml(path, lambda d: d["sources"][0].update(url="https://example.org/bezpečným"))
    err = refused(dataset_copy, capsys)
    assert "data/sources.yaml:" in err and "characters to percent-encode" in err


def test_unquoted_impossible_date(dataset_copy, capsys):
    # Unquoted, YAML itself would try to build a date and fail without a line number.
    path = dataset_copy / "initiatives/gids.yaml"
    path.write_text(
        path.read_text().replace("announced_on: '2020-09-08'", "announced_on: 2020-02-30")
    )
    err = refused(dataset_copy, capsys)
    assert f"gids.yaml:{line_of(path, 'announced_on:')}" in err
    assert "announced_on: '2020-02-30' is not a real calendar date" in err


def test_a_date_with_a_time_is_refused(dataset_copy, capsys):
    path = dataset_copy / "initiatives/gids.yaml"
    path.write_text(
        path.read_text().replace("announced_on: '2020-09-08'", "announced_on: 2020-09-08T10:00:00")
    )
    err = refused(dataset_copy, capsys)
    assert "announced_on: '2020-09-08T10:00:00' is not a date as YYYY, YYYY-MM or YYYY-MM-DD" in err


def test_control_characters_in_text(dataset_copy, capsys):
    path = dataset_copy / "initiatives/gids.yaml"
    edit_yaml(path, lambda d: d.update(summary="Pasted\x0bfrom a word processor"))
    err = refused(dataset_copy, capsys)
    assert "summary: contains the control character U+000B" in err


def test_non_ascii_digits_are_not_a_date(dataset_copy, capsys):
    path = dataset_copy / "initiatives/gids.yaml"
    edit_yaml(path, lambda d: d.update(announced_on="\u0662\u0660\u0662\u0660-\u0660\u0669"))
    err = refused(dataset_copy, capsys)
    assert "is not a date as YYYY, YYYY-MM or YYYY-MM-DD" in err
