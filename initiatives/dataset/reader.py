"""Read and validate the whole dataset before anything is written.

Every problem is collected with its file, line, record and field, so one run of
load_dataset tells a curator everything that is wrong, not just the first thing.
"""

import hashlib
import re
from dataclasses import dataclass, field
from datetime import date
from pathlib import Path

import yaml

from initiatives.dataset import schema, yaml_io
from initiatives.dataset.schema import Field, Spec
from initiatives.partial_dates import PARTIAL_DATE_HELP, PartialDate

MAX_FILE_BYTES = 2 * 1024 * 1024
# Control characters other than tab and newline: invisible, and not allowed in XML (feeds).
CONTROL_RE = re.compile(r"[\x00-\x08\x0b\x0c\x0e-\x1f\x7f]")
SLUG_RE = re.compile(r"^[a-z0-9]+(?:-[a-z0-9]+)*$")
CODE_RE = {schema.CODE2: re.compile(r"^[A-Z]{2}$"), schema.CODE3: re.compile(r"^[A-Z]{3}$")}
URL_RE = re.compile(r"^https?://[^\s/$.?#][^\s]*$", re.IGNORECASE)


@dataclass(frozen=True)
class Problem:
    file: str
    line: int
    where: str
    field: str
    message: str

    def __str__(self) -> str:
        parts = [f"{self.file}:{self.line}" if self.line else self.file]
        if self.where:
            parts.append(self.where)
        if self.field:
            parts.append(self.field)
        parts.append(self.message)
        return ": ".join(parts)


class DatasetError(Exception):
    def __init__(self, problems: list[Problem]):
        self.problems = problems
        super().__init__("\n".join(str(p) for p in problems))


@dataclass
class Record:
    """One validated record: its values by field name, and where it was read."""

    spec: str
    values: dict
    file: str
    line: int
    where: str
    key_lines: dict = field(default_factory=dict)

    def __getitem__(self, name):
        return self.values[name]

    def line_of(self, name: str) -> int:
        return self.key_lines.get(name, self.line)


@dataclass
class Dataset:
    topics: list[Record]
    sources: list[Record]
    states: list[Record]
    organisations: list[Record]
    companies: list[Record]
    initiatives: list[Record]
    measures: list[Record]
    events: list[Record]
    checksum: str

    def all_events(self):
        """Events of events.yaml and of every initiative file, each with its initiatives."""
        for record in self.events:
            yield record, record["initiatives"]
        for initiative in self.initiatives:
            for record in initiative["events"]:
                yield record, [initiative["slug"]]


class _Reader:
    def __init__(self, root: Path):
        self.root = root
        self.problems: list[Problem] = []
        self.digest = hashlib.sha256()

    def problem(self, file, line, where, field_name, message):
        self.problems.append(Problem(file, line, where, field_name, message))

    # -- files ------------------------------------------------------------------------------

    def read_file(self, path: Path):
        rel = (
            str(path.relative_to(self.root.parent))
            if self.root.parent in path.parents
            else str(path)
        )
        try:
            raw = path.read_bytes()
        except OSError as exc:
            self.problem(rel, 0, "", "", f"cannot read the file ({exc.strerror})")
            return rel, None
        self.digest.update(str(path.relative_to(self.root)).encode() + b"\0" + raw + b"\0")
        if len(raw) > MAX_FILE_BYTES:
            self.problem(
                rel, 0, "", "", f"file is {len(raw)} bytes, over the limit of {MAX_FILE_BYTES}"
            )
            return rel, None
        try:
            text = raw.decode("utf-8")
        except UnicodeDecodeError as exc:
            self.problem(rel, 0, "", "", f"not UTF-8 text (byte {exc.start})")
            return rel, None
        try:
            return rel, yaml_io.load(text)
        except yaml.MarkedYAMLError as exc:
            mark = exc.problem_mark or exc.context_mark
            line = mark.line + 1 if mark else 0
            self.problem(rel, line, "", "", f"malformed YAML: {exc.problem or exc.context}")
        except yaml.YAMLError as exc:
            self.problem(rel, 0, "", "", f"malformed YAML: {exc}")
        return rel, None

    def read_list_file(self, relpath: str, top_key: str, spec_name: str) -> list[Record]:
        path = self.root / relpath
        if not path.exists():
            if spec_name in ("event", "organisation", "company", "measure"):
                return []
            self.problem(str(Path(self.root.name) / relpath), 0, "", "", "file is missing")
            return []
        rel, document = self.read_file(path)
        if document is None:
            return []
        if not isinstance(document, dict) or set(document) != {top_key}:
            self.problem(rel, 1, "", "", f"expected a mapping with the single key {top_key!r}")
            return []
        items = document[top_key]
        if items is None:
            return []
        if not isinstance(items, list):
            line = document.key_lines.get(top_key, 1)
            self.problem(rel, line, "", top_key, "expected a list of records")
            return []
        return [
            record
            for index, item in enumerate(items)
            if (
                record := self.read_record(
                    rel, item, schema.SPECS[spec_name], f"{top_key}[{index}]"
                )
            )
        ]

    def read_initiative_file(self, path: Path) -> Record | None:
        rel, document = self.read_file(path)
        if document is None:
            return None
        record = self.read_record(rel, document, schema.SPECS["initiative"], "")
        if record and record["slug"] != path.stem:
            self.problem(
                rel,
                record.line_of("slug"),
                "",
                "slug",
                f"{record['slug']!r} does not match the file name {path.name!r}",
            )
        return record

    # -- records ----------------------------------------------------------------------------

    def read_record(self, rel: str, item, spec: Spec, position: str) -> Record | None:
        if not isinstance(item, dict):
            self.problem(rel, 0, position, "", f"expected a {spec.name} record (a mapping)")
            return None
        line = getattr(item, "line", 0)
        key_value = item.get(spec.key)
        where = f"{position} ({spec.key} {key_value})" if position else f"{spec.name} {key_value}"
        key_lines = getattr(item, "key_lines", {})
        known = {f.name for f in spec.fields}
        for name in item:
            if name not in known:
                self.problem(
                    rel,
                    key_lines.get(name, line),
                    where,
                    name,
                    f"unknown field (a {spec.name} has: {', '.join(sorted(known))})",
                )
        values = {}
        ok = True
        for fld in spec.fields:
            value_line = key_lines.get(fld.name, line)
            raw = item.get(fld.name)
            try:
                values[fld.name] = self.read_value(rel, raw, fld, where, value_line, position)
            except ValueError as exc:
                ok = False
                self.problem(rel, value_line, where, fld.name, str(exc))
        if not ok:
            return None
        return Record(spec.name, values, rel, line, where, dict(key_lines))

    def read_value(self, rel, raw, fld: Field, where, line, position):
        empty = raw is None or raw == "" or raw == []
        if empty:
            if fld.required:
                raise ValueError("is required")
            return (
                []
                if fld.kind in (schema.REFS, schema.RECORDS)
                else (None if fld.kind in (schema.DATE, schema.REF, schema.INT) else "")
            )
        kind = fld.kind
        if kind == schema.RECORDS:
            if not isinstance(raw, list):
                raise ValueError("expected a list of records")
            spec = schema.SPECS[fld.target]
            records = []
            for index, item in enumerate(raw):
                record = self.read_record(rel, item, spec, f"{fld.name}[{index}]")
                if record:
                    records.append(record)
            return records
        if kind == schema.REFS:
            if not isinstance(raw, list):
                raise ValueError(f"expected a list, got {type(raw).__name__}")
            refs = []
            for item in raw:
                if not isinstance(item, str | int) or isinstance(item, bool):
                    raise ValueError(f"expected a list of keys, found {item!r}")
                refs.append(str(item))
            if len(set(refs)) != len(refs):
                raise ValueError("lists a key twice")
            return refs
        if kind == schema.DATE:
            if isinstance(raw, date):
                return PartialDate(raw, "day")
            if isinstance(raw, int) and not isinstance(raw, bool):
                raw = str(raw)
            if not isinstance(raw, str):
                raise ValueError(f"expected {PARTIAL_DATE_HELP}, got {raw!r}")
            return PartialDate.parse(raw)
        if kind == schema.INT:
            if not isinstance(raw, int) or isinstance(raw, bool):
                raise ValueError(f"expected a whole number, got {raw!r}")
            return raw
        if not isinstance(raw, str):
            raise ValueError(f"expected text, got {type(raw).__name__} {raw!r}")
        value = raw.strip() if kind != schema.TEXT else raw.strip("\n")
        if bad := CONTROL_RE.search(value):
            raise ValueError(
                f"contains the control character U+{ord(bad.group()):04X} "
                "(pasted from a word processor?); remove it"
            )
        if fld.max_length and len(value) > fld.max_length:
            raise ValueError(f"is {len(value)} characters long, over the limit of {fld.max_length}")
        if kind == schema.SLUG and not SLUG_RE.match(value):
            raise ValueError(f"{value!r} is not a slug (lower-case letters, digits and hyphens)")
        if kind in CODE_RE and not CODE_RE[kind].match(value):
            raise ValueError(
                f"{value!r} is not a code of {2 if kind == schema.CODE2 else 3} capital letters"
            )
        if kind == schema.URL and not URL_RE.match(value):
            raise ValueError(f"{value!r} is not an http(s) URL")
        if kind == schema.URL and not value.isascii():
            raise ValueError(f"{value!r} has characters to percent-encode (e.g. %C4%8D for č)")
        if kind == schema.CHOICE and value not in fld.choices:
            raise ValueError(f"{value!r} is not one of: {', '.join(fld.choices)}")
        return value


def read_dataset(root: Path) -> Dataset:
    """Read and validate the dataset under root; raise DatasetError listing every problem."""
    root = Path(root).resolve()
    reader = _Reader(root)
    if not root.is_dir():
        raise DatasetError([Problem(str(root), 0, "", "", "is not a folder")])
    lists = {
        spec_name: reader.read_list_file(relpath, top_key, spec_name)
        for relpath, top_key, spec_name in schema.LIST_FILES
    }
    initiatives = []
    initiatives_dir = root / schema.INITIATIVES_DIR
    for path in sorted(initiatives_dir.glob("*.yaml")) if initiatives_dir.is_dir() else []:
        record = reader.read_initiative_file(path)
        if record:
            initiatives.append(record)
    dataset = Dataset(
        topics=lists["topic"],
        sources=lists["source"],
        states=lists["state"],
        organisations=lists["organisation"],
        companies=lists["company"],
        initiatives=initiatives,
        measures=lists["measure"],
        events=lists["event"],
        checksum=reader.digest.hexdigest(),
    )
    from initiatives.dataset.checks import check_dataset

    reader.problems.extend(check_dataset(dataset))
    if reader.problems:
        raise DatasetError(reader.problems)
    return dataset
