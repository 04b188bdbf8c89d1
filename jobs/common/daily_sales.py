"""What the two daily-sales-by-store Spark jobs share: input contract, aggregation and output.

``jobs/glue/daily_sales_by_store.py`` (AWS Glue 5.0) and ``jobs/spark/sales_by_store.py`` (EMR on
EC2 and EMR Serverless) both import this module, so they accept exactly the same input and reject
the same bad input with the same messages. It is shipped next to each script as its own file
(Glue ``--extra-py-files``, spark-submit ``--py-files``) and imported by its top-level name,
``daily_sales``; it needs nothing but PySpark.

Input contract:

- Locations are ``s3://`` URIs of a validly named bucket, without quotes, backslashes or control
  characters (the EMR job writes the URI into a SQL ``LOCATION '...'``).
- Catalog database and table names are a lowercase letter followed by lowercase letters, digits
  or underscores, at most 255 characters.
- The sales have the columns ``sale_id, store_id, sold_at, amount``; names compare trimmed and
  case-insensitively, in any order, and other columns are ignored.
- Text columns (every column of a CSV read as text, a crawled column typed ``string``) follow
  the text rules below; a typed column (a crawler typed the Glue table) must have a type its
  column allows, and its values follow the same rules.
- Every row has a non-empty ``sale_id`` and ``store_id``; a ``sold_at`` that is a timestamp or the
  text of an ISO-8601 date and time (``2024-05-01T13:45:00Z``, offset optional and UTC if absent);
  and an ``amount`` that is a finite number with at most 6 decimal places and at most 32 digits
  before the point, written as plain decimal text (``-12.50``: no exponent, no separators).

Any violation raises :class:`SalesInputError` before anything is written.

Output: Parquet partitioned by ``sale_date``. A run that recomputes whole days (a replay over all
raw files, the EMR job) replaces the ``sale_date`` partitions it writes and leaves the others
alone (:func:`overwrite_partitions`), so a rerun yields the same table instead of a second copy;
it then registers the table and those partitions in the catalog (:func:`register_partitions`).
"""

from __future__ import annotations

import re

from pyspark.sql import Column, DataFrame
from pyspark.sql import functions as F

REQUIRED_COLUMNS = ("sale_id", "store_id", "sold_at", "amount")
PARTITION_COLUMN = "sale_date"
# How a run writes: add files beside the existing ones (a bookmarked run that read only new raw
# files), or replace each sale_date partition it writes (a run that read every raw file).
APPEND = "append"
OVERWRITE_PARTITIONS = "overwrite_partitions"
WRITE_MODES = (APPEND, OVERWRITE_PARTITIONS)
# How many offending sale_ids an invalid-rows error lists.
MAX_EXAMPLES = 5

# Spark's rlike searches (java.util.regex find()), so the row patterns are anchored. They use only
# classes, quantifiers, groups and anchors, which Java and Python regexes read alike.
SOLD_AT_TEXT = r"^[0-9]{4}-[0-9]{2}-[0-9]{2}[T ][0-9]{2}:[0-9]{2}"
AMOUNT_TEXT = r"^[+-]?[0-9]+(\.[0-9]{1,6})?$"
# decimal(38,6) holds 32 digits before the point and 6 after; the sums stay exact.
AMOUNT_TYPE = "decimal(38,6)"

# Bucket names: 3-63 characters, lowercase letters, digits, dots and hyphens, starting and ending
# with a letter or digit: https://docs.aws.amazon.com/AmazonS3/latest/userguide/bucketnamingrules.html
S3_URI = re.compile(r"s3://[a-z0-9][a-z0-9.-]{1,61}[a-z0-9](/[^'\\\x00-\x1f\x7f]*)?")
S3_URI_RULE = "an s3:// URI of a valid bucket name, without quotes, backslashes or control characters"
# Glue names are 1-255 characters, and Athena takes lowercase letters, digits and underscores:
# https://docs.aws.amazon.com/athena/latest/ug/tables-databases-columns-names.html
# A leading letter keeps the name usable unquoted in Spark SQL and Athena.
CATALOG_NAME = re.compile(r"[a-z][a-z0-9_]{0,254}")
CATALOG_NAME_RULE = "a lowercase letter, then up to 254 lowercase letters, digits or underscores"

INTEGER_TYPES = ("tinyint", "smallint", "int", "bigint")
# Column types each rule accepts, as DataFrame.dtypes spells them (decimal(p,s) by its prefix).
ALLOWED_TYPES = {
    "sale_id": ("string", *INTEGER_TYPES),
    "store_id": ("string", *INTEGER_TYPES),
    "sold_at": ("string", "timestamp"),
    # Not float: a float's binary fraction is never exactly a decimal of 6 places.
    "amount": ("string", *INTEGER_TYPES, "double", "decimal"),
}


class SalesInputError(ValueError):
    """Input the jobs reject; the message names the argument or column and what it must be."""


def check_s3_uri(flag: str, value: str) -> str:
    """Returns ``value`` if it is an S3 location both jobs accept."""
    if not S3_URI.fullmatch(value):
        raise SalesInputError(f"{flag} must be {S3_URI_RULE}, not {value!r}")
    return value


def check_catalog_name(flag: str, value: str) -> str:
    """Returns ``value`` if it is a Glue database or table name both jobs accept."""
    if not CATALOG_NAME.fullmatch(value):
        raise SalesInputError(f"{flag} must be {CATALOG_NAME_RULE}, not {value!r}")
    return value


def check_qualified_table(flag: str, value: str) -> tuple[str, str]:
    """Splits ``database.table`` and checks each name by the catalog name rule."""
    parts = value.split(".")
    if len(parts) != 2:
        raise SalesInputError(f"{flag} must be database.table, not {value!r}")
    database, table = parts
    check_catalog_name(f"the database of {flag}", database)
    check_catalog_name(f"the table of {flag}", table)
    return database, table


def check_write_mode(flag: str, value: str) -> str:
    """Returns ``value`` if it is one of WRITE_MODES."""
    if value not in WRITE_MODES:
        raise SalesInputError(f"{flag} must be one of {', '.join(WRITE_MODES)}, not {value!r}")
    return value


def _base_type(dtype: str) -> str:
    return dtype.split("(", 1)[0]


def _checked_columns(raw: DataFrame) -> dict[str, str]:
    """Each raw column's trimmed, lowercased name and its type, once checked against the contract."""
    names = [name.strip().lower() for name in raw.columns]
    repeated = sorted({name for name in names if names.count(name) > 1})
    if repeated:
        raise SalesInputError(
            f"sales input has column(s) {', '.join(repeated)} more than once "
            "(names compare trimmed and case-insensitively)"
        )
    missing = [name for name in REQUIRED_COLUMNS if name not in names]
    if missing:
        raise SalesInputError(
            f"sales input lacks column(s) {', '.join(missing)}; expected {', '.join(REQUIRED_COLUMNS)}"
        )
    types = dict(zip(names, (dtype for _, dtype in raw.dtypes)))
    for name in REQUIRED_COLUMNS:
        if _base_type(types[name]) not in ALLOWED_TYPES[name]:
            raise SalesInputError(
                f"sales input column {name} has type {types[name]}; "
                f"allowed: {', '.join(ALLOWED_TYPES[name])}"
            )
    return types


def _identifier(column: Column) -> Column:
    return F.trim(column.cast("string"))


def _sold_at(column: Column, dtype: str) -> Column:
    if dtype == "timestamp":
        return column
    text = F.trim(column)
    # The pattern requires a date and a time; the cast rejects impossible ones (2024-02-30).
    return F.when(text.rlike(SOLD_AT_TEXT), text.cast("timestamp"))


def _amount(column: Column, dtype: str) -> Column:
    if dtype == "string":
        text = F.trim(column)
        return F.when(text.rlike(AMOUNT_TEXT), text.cast(AMOUNT_TYPE))
    # A typed number is kept only if decimal(38,6) holds it exactly: more decimal places, NaN,
    # infinities and numbers too large fail the comparison (or the cast) and become null.
    exact = column.cast(AMOUNT_TYPE)
    return F.when(exact == column, exact)


def typed_sales(raw: DataFrame) -> DataFrame:
    """Checks the columns and types the raw sales; a value breaking a row rule becomes null."""
    types = {name: _base_type(dtype) for name, dtype in _checked_columns(raw).items()}
    raw = raw.toDF(*types)
    sold_at = _sold_at(F.col("sold_at"), types["sold_at"])
    return raw.select(
        _identifier(F.col("sale_id")).alias("sale_id"),
        _identifier(F.col("store_id")).alias("store_id"),
        sold_at.alias("sold_at"),
        _amount(F.col("amount"), types["amount"]).alias("amount"),
        F.date_format(sold_at, "yyyy-MM-dd").alias("sale_date"),
    )


def fail_on_invalid_rows(sales: DataFrame) -> None:
    """Raises SalesInputError naming a few offending sale_ids if any typed row breaks a rule."""
    invalid = sales.filter(
        F.col("sale_id").isNull()
        | (F.col("sale_id") == "")
        | F.col("store_id").isNull()
        | (F.col("store_id") == "")
        | F.col("sold_at").isNull()
        | F.col("amount").isNull()
    )
    examples = [row["sale_id"] for row in invalid.select("sale_id").limit(MAX_EXAMPLES).collect()]
    if examples:
        raise SalesInputError(
            f"{invalid.count()} sales row(s) have an empty sale_id or store_id, a sold_at that is not "
            "an ISO-8601 date and time, or an amount that is not a decimal number with at most 6 "
            f"decimal places; first sale_ids: {examples}"
        )


def daily_sales_by_store(sales: DataFrame) -> DataFrame:
    """One row per UTC day and store: sales_count, and total_amount rounded half up to cents."""
    return (
        sales.groupBy("sale_date", "store_id")
        .agg(
            F.count(F.lit(1)).alias("sales_count"),
            F.round(F.sum("amount"), 2).cast("decimal(18,2)").alias("total_amount"),
        )
        .select("store_id", "sales_count", "total_amount", "sale_date")
    )


def partition_values(daily: DataFrame) -> list[str]:
    """The sale_date partitions an aggregate holds, sorted."""
    return sorted(row[PARTITION_COLUMN] for row in daily.select(PARTITION_COLUMN).distinct().collect())


def overwrite_partitions(daily: DataFrame, target: str) -> None:
    """Writes Parquet under ``target``, replacing only the sale_date partitions ``daily`` holds.

    Spark's dynamic partition overwrite, set on this write (the option takes precedence over the
    session's ``spark.sql.sources.partitionOverwriteMode``), deletes nothing up front and replaces
    each partition that receives data: https://spark.apache.org/docs/3.5.4/configuration.html
    (Glue 5.0 runs Spark 3.5.4: https://docs.aws.amazon.com/glue/latest/dg/release-notes.html).
    """
    (
        daily.write.mode("overwrite")
        .option("partitionOverwriteMode", "dynamic")
        .partitionBy(PARTITION_COLUMN)
        .parquet(target)
    )


def register_partitions(spark, table: str, target: str, sale_dates: list[str]) -> None:
    """Creates ``database.table`` at ``target`` if missing and adds the written partitions.

    Needs the Glue Data Catalog as Spark's metastore (EMR's spark-hive-site, Glue's
    ``--enable-glue-datacatalog``). ``table`` and ``target`` must have passed
    :func:`check_qualified_table` and :func:`check_s3_uri`: they are written into the SQL.
    """
    spark.sql(
        f"CREATE EXTERNAL TABLE IF NOT EXISTS {table} "
        "(store_id STRING, sales_count BIGINT, total_amount DECIMAL(18,2)) "
        f"PARTITIONED BY ({PARTITION_COLUMN} STRING) STORED AS PARQUET "
        f"LOCATION '{target}'"
    )
    if sale_dates:
        partitions = " ".join(f"PARTITION ({PARTITION_COLUMN}='{d}')" for d in sale_dates)
        spark.sql(f"ALTER TABLE {table} ADD IF NOT EXISTS {partitions}")
