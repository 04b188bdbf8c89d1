"""PySpark job for EMR on EC2 and EMR Serverless: daily sales by store.

Reads raw sales CSV files, aggregates the sales of each store per UTC calendar day and
writes Parquet partitioned by ``sale_date``.

    spark-submit --py-files s3://<artifacts-bucket>/scripts/<pipeline>/daily_sales.py \\
        sales_by_store.py \\
        --source s3://<raw-bucket>/sales/ \\
        --target s3://<curated-bucket>/daily_sales_by_store/ \\
        [--table <database>.<table>]

Arguments:

  --source   S3 URI of the raw sales: a CSV file or a folder of them (gzip is read
             transparently), with a header naming at least ``sale_id,store_id,sold_at,amount``;
             every column is read as text
  --target   S3 URI of the curated output folder
  --table    optional ``database.table`` in the Glue Data Catalog to register the output
             in (created if missing, new partitions added). Needs Hive support with the
             Glue Data Catalog as metastore, which the platform configures on the EMR cluster
             (``spark-hive-site``: ``hive.metastore.client.factory.class`` =
             ``com.amazonaws.glue.catalog.metastore.AWSGlueDataCatalogHiveClientFactory``)
             and on the EMR Serverless application.

Reruns are idempotent: the write overwrites only the ``sale_date`` partitions present in the
source (dynamic partition overwrite), so rerunning over the same input yields the same table.

The input contract (argument values, columns, row rules) and the aggregation live in
``jobs/common/daily_sales.py``, shared with the Glue job so both accept the same input; submit it
with ``--py-files s3://.../daily_sales.py``. A bad argument exits 2 with a usage message; bad data
exits 1 with ``sales_by_store: <message>`` naming the column or a few offending sale_ids, before
anything is written.

Output columns: store_id string, sales_count bigint, total_amount decimal(18,2) (summed
exactly as decimal(38,6), rounded half up to cents), partition sale_date string (UTC day).
"""

from __future__ import annotations

import argparse
import sys

from pyspark.sql import DataFrame, SparkSession

from daily_sales import (
    SalesInputError,
    check_qualified_table,
    check_s3_uri,
    daily_sales_by_store,
    fail_on_invalid_rows,
    overwrite_partitions,
    partition_values,
    register_partitions,
    typed_sales,
)


def parse_args(argv: list[str]) -> argparse.Namespace:
    parser = argparse.ArgumentParser(description="Aggregate raw sales per store and UTC day.")
    parser.add_argument("--source", required=True, help="S3 URI of the raw sales CSV file(s)")
    parser.add_argument("--target", required=True, help="S3 URI of the curated Parquet output folder")
    parser.add_argument("--table", help="optional database.table to register the output in the catalog")
    args = parser.parse_args(argv)
    try:
        check_s3_uri("--source", args.source)
        check_s3_uri("--target", args.target)
        if args.table is not None:
            check_qualified_table("--table", args.table)
    except SalesInputError as error:
        parser.error(str(error))
    return args


def read_sales(spark: SparkSession, source: str) -> DataFrame:
    """Reads the CSV as text (columns in any order, extra columns ignored) and types it."""
    raw = spark.read.option("header", "true").option("mode", "FAILFAST").csv(source)
    return typed_sales(raw)


def main(argv: list[str]) -> None:
    args = parse_args(argv)
    target = args.target.rstrip("/") + "/"

    spark = (
        SparkSession.builder.appName("sales_by_store")
        .config("spark.sql.session.timeZone", "UTC")
        .enableHiveSupport()
        .getOrCreate()
    )
    try:
        sales = read_sales(spark, args.source).cache()
        fail_on_invalid_rows(sales)
        daily = daily_sales_by_store(sales).cache()
        sale_dates = partition_values(daily)
        # Only the partitions being written are replaced, so reruns replace instead of append.
        overwrite_partitions(daily, target)
        if args.table:
            register_partitions(spark, args.table, target, sale_dates)
        print(f"sales_by_store: wrote {len(sale_dates)} sale_date partition(s) to {target}")
    except SalesInputError as error:
        # A clear message and a failed step or job run, without a traceback.
        sys.exit(f"sales_by_store: {error}")
    finally:
        spark.stop()


if __name__ == "__main__":
    main(sys.argv[1:])
