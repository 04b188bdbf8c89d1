"""PySpark job for EMR on EC2 and EMR Serverless: daily sales by store.

Reads raw sales CSV files, aggregates the sales of each store per UTC calendar day and
writes Parquet partitioned by ``sale_date``.

    spark-submit sales_by_store.py \\
        --source s3://<raw-bucket>/sales/ \\
        --target s3://<curated-bucket>/daily_sales_by_store/ \\
        [--table <database>.<table>]

Arguments:

  --source   S3 URI of the raw sales: a CSV file or a folder of them (gzip is read
             transparently), with a header naming at least ``sale_id,store_id,sold_at,amount``
  --target   S3 URI of the curated output folder
  --table    optional ``database.table`` in the Glue Data Catalog to register the output
             in (created if missing, new partitions added). Needs Hive support with the
             Glue Data Catalog as metastore, which the platform configures on the EMR cluster
             (``spark-hive-site``: ``hive.metastore.client.factory.class`` =
             ``com.amazonaws.glue.catalog.metastore.AWSGlueDataCatalogHiveClientFactory``)
             and on the EMR Serverless application.

Reruns are idempotent: the write overwrites only the ``sale_date`` partitions present in the
source (dynamic partition overwrite), so rerunning over the same input yields the same table.
Input rows with an empty sale_id or store_id, a sold_at that is not a timestamp or an amount
that is not a decimal fail the job before anything is written.

Output columns: store_id string, sales_count bigint, total_amount decimal(18,2) (summed
exactly as decimal(38,6), rounded half up to cents), partition sale_date string (UTC day).
"""

from __future__ import annotations

import argparse
import re
import sys

from pyspark.sql import DataFrame, SparkSession
from pyspark.sql import functions as F

REQUIRED_COLUMNS = ["sale_id", "store_id", "sold_at", "amount"]
MAX_EXAMPLES = 5
S3_URI = re.compile(r"^s3a?://[a-z0-9][a-z0-9.-]{1,61}[a-z0-9](/[^'\\]*)?$")
TABLE_NAME = re.compile(r"^[a-z0-9_]+\.[a-z0-9_]+$")


def parse_args(argv: list[str]) -> argparse.Namespace:
    parser = argparse.ArgumentParser(description="Aggregate raw sales per store and UTC day.")
    parser.add_argument("--source", required=True, help="S3 URI of the raw sales CSV file(s)")
    parser.add_argument("--target", required=True, help="S3 URI of the curated Parquet output folder")
    parser.add_argument("--table", help="optional database.table to register the output in the catalog")
    args = parser.parse_args(argv)
    for name in ("source", "target"):
        if not S3_URI.match(getattr(args, name)):
            parser.error(f"--{name} must be an s3:// URI, not {getattr(args, name)!r}")
    if args.table is not None and not TABLE_NAME.match(args.table):
        parser.error(f"--table must be database.table in lower case, not {args.table!r}")
    return args


def read_sales(spark: SparkSession, source: str) -> DataFrame:
    """Reads the CSV as strings (columns in any order, extra columns ignored) and types them."""
    raw = spark.read.option("header", "true").option("mode", "FAILFAST").csv(source)
    raw = raw.toDF(*[c.strip().lower() for c in raw.columns])
    missing = [c for c in REQUIRED_COLUMNS if c not in raw.columns]
    if missing:
        raise ValueError(
            f"{source}: header lacks column(s) {', '.join(missing)}; expected {','.join(REQUIRED_COLUMNS)}"
        )
    sold_at_text = F.trim(F.col("sold_at"))
    # An ISO-8601 date and time (offset optional, UTC if absent), as the container job accepts.
    sold_at = F.when(
        sold_at_text.rlike(r"^[0-9]{4}-[0-9]{2}-[0-9]{2}[T ][0-9]{2}:[0-9]{2}"), sold_at_text.cast("timestamp")
    )
    amount_text = F.trim(F.col("amount"))
    return raw.select(
        F.trim(F.col("sale_id")).alias("sale_id"),
        F.trim(F.col("store_id")).alias("store_id"),
        sold_at.alias("sold_at"),
        # Only plain decimals (no exponent, no thousands separator), summed exactly.
        F.when(amount_text.rlike(r"^[+-]?[0-9]+(\.[0-9]{1,6})?$"), amount_text.cast("decimal(38,6)")).alias(
            "amount"
        ),
        F.date_format(sold_at, "yyyy-MM-dd").alias("sale_date"),
    )


def fail_on_invalid_rows(sales: DataFrame) -> None:
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
        raise ValueError(
            f"{invalid.count()} sales row(s) have an empty sale_id or store_id, a sold_at that is not "
            f"an ISO-8601 timestamp, or an amount that is not a decimal; first sale_ids: {examples}"
        )


def daily_sales_by_store(sales: DataFrame) -> DataFrame:
    return (
        sales.groupBy("sale_date", "store_id")
        .agg(
            F.count(F.lit(1)).alias("sales_count"),
            F.round(F.sum("amount"), 2).cast("decimal(18,2)").alias("total_amount"),
        )
        .select("store_id", "sales_count", "total_amount", "sale_date")
    )


def register_table(spark: SparkSession, table: str, target: str, sale_dates: list[str]) -> None:
    spark.sql(
        f"CREATE EXTERNAL TABLE IF NOT EXISTS {table} "
        "(store_id STRING, sales_count BIGINT, total_amount DECIMAL(18,2)) "
        "PARTITIONED BY (sale_date STRING) STORED AS PARQUET "
        f"LOCATION '{target}'"
    )
    if sale_dates:
        partitions = " ".join(f"PARTITION (sale_date='{d}')" for d in sale_dates)
        spark.sql(f"ALTER TABLE {table} ADD IF NOT EXISTS {partitions}")


def main(argv: list[str]) -> None:
    args = parse_args(argv)
    target = args.target.rstrip("/") + "/"

    spark = (
        SparkSession.builder.appName("sales_by_store")
        .config("spark.sql.session.timeZone", "UTC")
        # Overwrite only the partitions being written, so reruns replace instead of append.
        .config("spark.sql.sources.partitionOverwriteMode", "dynamic")
        .enableHiveSupport()
        .getOrCreate()
    )
    try:
        sales = read_sales(spark, args.source).cache()
        fail_on_invalid_rows(sales)
        daily = daily_sales_by_store(sales).cache()
        sale_dates = sorted(row["sale_date"] for row in daily.select("sale_date").distinct().collect())

        daily.write.mode("overwrite").partitionBy("sale_date").parquet(target)
        if args.table:
            register_table(spark, args.table, target, sale_dates)
        print(f"sales_by_store: wrote {len(sale_dates)} sale_date partition(s) to {target}")
    finally:
        spark.stop()


if __name__ == "__main__":
    main(sys.argv[1:])
