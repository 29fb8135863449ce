"""Writing many snapshot rows at once: COPY on PostgreSQL, bulk_create elsewhere.

A full refresh writes hundreds of thousands of rows in one transaction. bulk_create turns
each row into a model instance and each batch into one huge parameterised INSERT, which
costs more than building the rows did; COPY streams plain tuples in PostgreSQL's own
format. SQLite (the embedded default) keeps bulk_create: its datasets are small.
"""

from collections.abc import Iterable, Sequence

from django.db import connection

BATCH = 5000


def _copy(model, columns: Sequence[str], rows: Iterable[Sequence]) -> None:
    quote = connection.ops.quote_name
    table = quote(model._meta.db_table)
    names = ", ".join(quote(model._meta.get_field(name).column) for name in columns)
    with (
        connection.cursor() as cursor,
        cursor.cursor.copy(f"COPY {table} ({names}) FROM STDIN") as copy,
    ):
        for row in rows:
            copy.write_row(row)


def reserve_ids(model, count: int) -> list[int]:
    """count fresh primary keys from the table's own sequence, so rows written with COPY
    can be pointed at (by link rows) without reading them back."""
    if not count:
        return []
    with connection.cursor() as cursor:
        cursor.execute(
            "SELECT nextval(pg_get_serial_sequence(%s, %s)) FROM generate_series(1, %s)",
            [model._meta.db_table, model._meta.pk.column, count],
        )
        return [pk for (pk,) in cursor.fetchall()]


def write_objects(model, objs: list, *, with_ids: bool = False) -> int:
    """Insert unsaved instances. with_ids: each instance gets its primary key, as
    bulk_create gives it, for rows that others will point at."""
    if connection.vendor != "postgresql":
        model.objects.bulk_create(objs, batch_size=BATCH)
        return len(objs)
    fields = [f for f in model._meta.concrete_fields if with_ids or not f.primary_key]
    if with_ids:
        for obj, pk in zip(objs, reserve_ids(model, len(objs)), strict=True):
            obj.pk = pk
    attnames = [f.attname for f in fields]
    _copy(model, attnames, ([getattr(obj, a) for a in attnames] for obj in objs))
    return len(objs)


def write_rows(model, columns: Sequence[str], rows: Iterable[Sequence]) -> None:
    """Insert plain tuples of the named fields (attnames: "entry_id", not "entry")."""
    if connection.vendor != "postgresql":
        model.objects.bulk_create(
            (model(**dict(zip(columns, row, strict=True))) for row in rows), batch_size=BATCH
        )
        return
    _copy(model, columns, rows)
