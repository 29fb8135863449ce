"""What every endpoint of the public API shares: strict parameters, limit/offset pages,
JSON or streamed CSV from one query string, one error shape, and conditional requests."""

import csv
import io
from collections.abc import Callable, Iterable
from dataclasses import dataclass
from itertools import islice

import django_filters
from django.db import connections
from django.db.models import Case, TextField, Value, When
from django.db.models.functions import Cast, Concat, Left, NullIf
from django.db.models.lookups import In
from django.http import Http404, StreamingHttpResponse
from rest_framework import serializers, status
from rest_framework.exceptions import NotFound, ValidationError
from rest_framework.filters import OrderingFilter
from rest_framework.negotiation import DefaultContentNegotiation
from rest_framework.pagination import LimitOffsetPagination
from rest_framework.renderers import BaseRenderer, JSONRenderer
from rest_framework.views import exception_handler

# -- CSV -------------------------------------------------------------------------------------

# A spreadsheet treats a cell that starts with one of these as a formula.
FORMULA_PREFIXES = ("=", "+", "-", "@", "\t", "\r")
FORMULA_FIRST = frozenset(FORMULA_PREFIXES)


def neutralise(value) -> str:
    """The cell as text, with a leading quote if a spreadsheet would run it as a formula."""
    if value.__class__ is str:  # the common case, kept fast for large exports
        return "'" + value if value and value[0] in FORMULA_FIRST else value
    if value is None:
        return ""
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, list | tuple):
        value = "; ".join(str(v) for v in value)
    text = str(value)
    return "'" + text if text.startswith(FORMULA_PREFIXES) else text


def defused(expression):
    """neutralise() done by the database, for exports that PostgreSQL writes itself
    (copy_csv): the cell as text, a leading quote if a spreadsheet would run it as a
    formula, and NULL for an empty string (COPY writes "" for one; csv_lines, nothing)."""
    text = Cast(expression, TextField())
    return NullIf(
        Case(
            When(In(Left(text, 1), list(FORMULA_PREFIXES)), then=Concat(Value("'"), text)),
            default=text,
            output_field=TextField(),
        ),
        Value(""),
        output_field=TextField(),
    )


ROWS_PER_CHUNK = 500


def _writer():
    buffer = io.StringIO()
    writer = csv.writer(buffer, lineterminator="\r\n")

    def flush() -> str:
        text = buffer.getvalue()
        buffer.seek(0)
        buffer.truncate()
        return text

    return writer, flush


def csv_lines(header: list[str], rows: Iterable[Iterable]) -> Iterable[str]:
    """The CSV text in chunks of rows: one write to the socket per chunk, not per row."""
    writer, flush = _writer()
    writer.writerow(header)
    yield "\ufeff" + flush()  # the BOM makes spreadsheets read UTF-8
    cells = ([neutralise(cell) for cell in row] for row in rows)
    while chunk := list(islice(cells, ROWS_PER_CHUNK)):
        writer.writerows(chunk)
        yield flush()


COPY_CHUNK_BYTES = 256 * 1024


def copy_csv(header: list[str], queryset) -> Iterable[bytes]:
    """The same CSV text as csv_lines, written by PostgreSQL itself (COPY ... TO STDOUT):
    rows are formatted in C and streamed as the server sends them, several times faster
    than Python's writer. The queryset is a values_list() whose cells are final text
    (see defused). COPY quotes exactly the fields csv_lines quotes (a comma, a quote,
    CR or LF inside) and ends records with LF; as every line break inside a field is
    quoted, an LF outside quotes ends a record and becomes CRLF."""
    if queryset.query.distinct:
        # DISTINCT puts the ORDER BY columns into the SELECT list too, and COPY would
        # write them out as extra columns: filter by a subquery of keys instead.
        raise ValueError("copy_csv needs a query without DISTINCT")
    writer, flush = _writer()
    writer.writerow(header)
    return _copied(("\ufeff" + flush()).encode(), queryset)


def _copied(head: bytes, queryset) -> Iterable[bytes]:
    yield head
    sql, params = queryset.query.sql_with_params()
    connection = connections[queryset.db]
    with (
        connection.cursor() as cursor,
        cursor.cursor.copy(f"COPY ({sql}) TO STDOUT (FORMAT csv)", params) as copy,
    ):
        pending, size = [], 0
        for row in copy:  # one record per read, always whole
            pending.append(bytes(row))
            size += len(row)
            if size >= COPY_CHUNK_BYTES:
                yield _crlf(b"".join(pending))
                pending, size = [], 0
        if pending:
            yield _crlf(b"".join(pending))


def _crlf(records: bytes) -> bytes:
    # Split at quotes: the even pieces lie outside quoted fields (an escaped "" toggles
    # twice), and only there does LF end a record.
    pieces = records.split(b'"')
    pieces[::2] = [piece.replace(b"\n", b"\r\n") for piece in pieces[::2]]
    return b'"'.join(pieces)


class CSVRenderer(BaseRenderer):
    """Declares text/csv for negotiation; the views stream the body themselves."""

    media_type = "text/csv"
    format = "csv"
    charset = "utf-8"

    def render(self, data, accepted_media_type=None, renderer_context=None):
        # Reached only for error bodies (a 400 asked for as CSV): give them as plain text.
        if isinstance(data, dict):
            lines = [str(data.get("detail", ""))]
            for name, messages in data.get("errors", {}).items():
                lines.extend(f"{name}: {message}" for message in messages)
            return "\n".join(lines).encode()
        return b""


def csv_response(
    filename: str, header: list[str], rows: Iterable[Iterable] = (), *, body=None
) -> StreamingHttpResponse:
    """The rows as a CSV attachment; or body, CSV text made elsewhere (copy_csv)."""
    body = csv_lines(header, rows) if body is None else body
    response = StreamingHttpResponse(body, content_type="text/csv; charset=utf-8")
    response["Content-Disposition"] = f'attachment; filename="{filename}.csv"'
    return response


@dataclass(frozen=True)
class Column:
    """One CSV column: its stable header and how to read it from a row object."""

    header: str
    get: Callable


# -- parameters ------------------------------------------------------------------------------


class StrictNegotiation(DefaultContentNegotiation):
    """An unknown ?format= is a bad parameter (400), not a missing page (404)."""

    def select_renderer(self, request, renderers, format_suffix=None):
        try:
            return super().select_renderer(request, renderers, format_suffix)
        except (NotFound, Http404):
            formats = ", ".join(r.format for r in renderers)
            raise ValidationError({"format": [f"Unknown format; use one of: {formats}."]}) from None


class StrictLimitOffsetPagination(LimitOffsetPagination):
    """limit/offset pages with a count; out-of-range values are refused, not clamped."""

    default_limit = 50
    max_limit = 500

    def _integer(self, request, name, minimum, maximum=None):
        raw = request.query_params.get(name)
        if raw is None:
            return None
        try:
            value = int(raw)
        except ValueError:
            raise ValidationError({name: ["Must be a whole number."]}) from None
        if value < minimum or (maximum is not None and value > maximum):
            upper = f" and at most {maximum}" if maximum is not None else ""
            raise ValidationError({name: [f"Must be at least {minimum}{upper}."]})
        return value

    def get_limit(self, request):
        limit = self._integer(request, self.limit_query_param, 1, self.max_limit)
        return self.default_limit if limit is None else limit

    def get_offset(self, request):
        return self._integer(request, self.offset_query_param, 0) or 0


COMMON_PARAMETERS = {"format", "limit", "offset", "ordering"}


def check_parameters(request, known: set[str], repeatable: set[str]) -> None:
    """Unknown, empty and wrongly repeated parameters are errors, not silently ignored.

    (The HTML pages use the same filters but let a form's empty fields through.)
    """
    errors = {}
    for name in request.query_params:
        values = request.query_params.getlist(name)
        if name not in known and name not in COMMON_PARAMETERS:
            errors[name] = ["Unknown parameter."]
        elif len(values) > 1 and name not in repeatable:
            errors[name] = ["Give this parameter once."]
        elif any(not value.strip() for value in values):
            errors[name] = ["Must not be empty."]
    if errors:
        raise ValidationError(errors)


# -- errors ----------------------------------------------------------------------------------


class ErrorSerializer(serializers.Serializer):
    detail = serializers.CharField(help_text="What went wrong.")
    errors = serializers.DictField(
        child=serializers.ListField(child=serializers.CharField()),
        required=False,
        help_text="For a 400: each bad parameter with its messages.",
    )


def api_exception_handler(exc, context):
    """Every error body is {"detail": ..., "errors": {parameter: [messages]}}."""
    response = exception_handler(exc, context)
    if response is None:
        return None
    data = response.data
    if response.status_code == status.HTTP_400_BAD_REQUEST and isinstance(exc, ValidationError):
        errors = data if isinstance(data, dict) else {"non_field_errors": data}
        errors = {
            name: [str(m) for m in (messages if isinstance(messages, list) else [messages])]
            for name, messages in errors.items()
        }
        names = ", ".join(errors)
        response.data = {"detail": f"Invalid parameter: {names}.", "errors": errors}
    elif isinstance(data, dict) and "detail" in data:
        response.data = {"detail": str(data["detail"])}
    return response


JSON_AND_CSV = [JSONRenderer, CSVRenderer]


# -- the base view ---------------------------------------------------------------------------


class AtlasAPIMixin:
    """Strict parameters, errors always as JSON, and CSV streaming of every matching row."""

    renderer_classes = JSON_AND_CSV
    content_negotiation_class = StrictNegotiation
    pagination_class = StrictLimitOffsetPagination
    extra_parameters: set[str] = set()
    repeatable_parameters: set[str] = set()

    def get_renderers(self):
        # CSV is for lists (and the crosswalk and map); one object is JSON only.
        if getattr(self, "action", None) == "retrieve":
            return [JSONRenderer()]
        return super().get_renderers()

    def known_parameters(self) -> tuple[set[str], set[str]]:
        names, repeatable = set(self.extra_parameters), set(self.repeatable_parameters)
        filterset_class = getattr(self, "filterset_class", None)
        if filterset_class is not None and getattr(self, "action", None) != "retrieve":
            for name, flt in filterset_class.base_filters.items():
                names.add(name)
                if isinstance(flt, django_filters.MultipleChoiceFilter):
                    repeatable.add(name)
        return names, repeatable

    def initial(self, request, *args, **kwargs):
        super().initial(request, *args, **kwargs)
        if request.method in ("GET", "HEAD"):  # other methods get their 405 first
            check_parameters(request, *self.known_parameters())

    def handle_exception(self, exc):
        response = super().handle_exception(exc)
        # Errors are JSON whatever was asked for, so clients can always read them.
        self.request.accepted_renderer = JSONRenderer()
        self.request.accepted_media_type = JSONRenderer.media_type
        return response

    def wants_csv(self) -> bool:
        return getattr(self.request.accepted_renderer, "format", None) == "csv"


class CSVListMixin(AtlasAPIMixin):
    """A list endpoint whose ?format=csv (or Accept: text/csv) streams ALL matching rows."""

    csv_columns: list[Column] = []
    csv_filename = "atlas"

    def csv_rows(self, queryset):
        getters = [column.get for column in self.csv_columns]
        for obj in queryset.iterator(chunk_size=2000):
            yield [get(obj) for get in getters]

    def csv_copy(self, queryset):
        """For exports too large for csv_rows: a values_list() of the same columns whose
        cells are final text (defused), which PostgreSQL writes as CSV itself; None: no."""
        return None

    def list(self, request, *args, **kwargs):
        if self.wants_csv():
            queryset = self.filter_queryset(self.get_queryset())
            if self.paginator is not None:  # limit/offset do not apply, but are still checked
                self.paginator.get_limit(request)
                self.paginator.get_offset(request)
            header = [c.header for c in self.csv_columns]
            copied = None
            if connections[queryset.db].vendor == "postgresql":
                copied = self.csv_copy(queryset)
            if copied is not None:
                return csv_response(self.csv_filename, header, body=copy_csv(header, copied))
            return csv_response(self.csv_filename, header, self.csv_rows(queryset))
        return super().list(request, *args, **kwargs)


class StrictOrderingFilter(OrderingFilter):
    """?ordering=field,-other over the fields a view allows; anything else is a 400."""

    def remove_invalid_fields(self, queryset, fields, view, request):
        valid = {name for name, _ in self.get_valid_fields(queryset, view, {"request": request})}
        invalid = [f for f in fields if f.lstrip("-") not in valid]
        if invalid:
            raise ValidationError(
                {
                    "ordering": [
                        f"Unknown field {', '.join(invalid)}; use: {', '.join(sorted(valid))}."
                    ]
                }
            )
        return fields
