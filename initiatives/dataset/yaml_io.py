"""YAML reading that remembers line numbers and rejects duplicate keys, and canonical writing."""

import yaml


class Mapping(dict):
    """A YAML mapping that knows the line of itself and of each of its keys (1-based)."""

    line: int = 0
    key_lines: dict


class DuplicateKeyError(yaml.MarkedYAMLError):
    pass


class LineLoader(yaml.SafeLoader):
    def construct_mapping(self, node, deep=False):
        self.flatten_mapping(node)
        mapping = Mapping()
        mapping.line = node.start_mark.line + 1
        mapping.key_lines = {}
        for key_node, value_node in node.value:
            key = self.construct_object(key_node, deep=deep)
            if not isinstance(key, str):
                raise yaml.constructor.ConstructorError(
                    "while constructing a mapping",
                    node.start_mark,
                    f"found a non-text key {key!r}",
                    key_node.start_mark,
                )
            if key in mapping:
                raise DuplicateKeyError(
                    "while constructing a mapping",
                    node.start_mark,
                    f"found duplicate key {key!r}",
                    key_node.start_mark,
                )
            mapping[key] = self.construct_object(value_node, deep=deep)
            mapping.key_lines[key] = key_node.start_mark.line + 1
        return mapping


LineLoader.add_constructor(
    yaml.resolver.BaseResolver.DEFAULT_MAPPING_TAG, LineLoader.construct_mapping
)


def _timestamp_as_text(loader, node):
    # An unquoted 2020-02-30 would otherwise fail inside PyYAML with a bare ValueError, and
    # an unquoted 2020-09-08T10:00 would arrive as a datetime. As text, both reach the
    # dataset's own date check, which names the file and line.
    return loader.construct_scalar(node)


LineLoader.add_constructor("tag:yaml.org,2002:timestamp", _timestamp_as_text)


def load(text: str):
    # Deep construction so that nested mappings are built with their line numbers.
    loader = LineLoader(text)
    try:
        node = loader.get_single_node()
        return None if node is None else loader.construct_document(node)
    finally:
        loader.dispose()


class QuotedDate(str):
    """A partial date, always written quoted so YAML never turns it into a date or a number."""


class CanonicalDumper(yaml.SafeDumper):
    """Block mappings; lists of keys inline ([a, b]) and lists of records as blocks."""


def _represent_quoted(dumper, value):
    return dumper.represent_scalar("tag:yaml.org,2002:str", str(value), style="'")


FOLD_OVER = 80


def _represent_str(dumper, value):
    # Paragraphs are written folded (>-) so a one-word edit is a one-line diff.
    if "\n" in value:
        style = "|"
    elif len(value) > FOLD_OVER and " " in value and value == value.strip() and "  " not in value:
        style = ">"
    else:
        style = None
    return dumper.represent_scalar("tag:yaml.org,2002:str", value, style=style)


CanonicalDumper.add_representer(QuotedDate, _represent_quoted)
CanonicalDumper.add_representer(str, _represent_str)


def _represent_dict(dumper, value):
    return dumper.represent_mapping("tag:yaml.org,2002:map", value.items(), flow_style=False)


def _represent_list(dumper, value):
    scalars_only = all(not isinstance(item, dict | list) for item in value)
    short = sum(len(str(item)) + 2 for item in value) <= FOLD_OVER
    return dumper.represent_sequence(
        "tag:yaml.org,2002:seq", value, flow_style=scalars_only and short
    )


CanonicalDumper.add_representer(dict, _represent_dict)
CanonicalDumper.add_representer(Mapping, _represent_dict)
CanonicalDumper.add_representer(list, _represent_list)


def dump(document) -> str:
    return yaml.dump(
        document,
        Dumper=CanonicalDumper,
        sort_keys=False,
        allow_unicode=True,
        width=88,
    )
