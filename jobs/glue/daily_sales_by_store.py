"""AWS Glue 5.0 (Spark 3.5, Python 3.11) job: daily sales by store.

Reads the raw sales table from the Glue Data Catalog, aggregates the sales of each store
per UTC calendar day, and appends the result to the curated zone as Parquet partitioned
by ``sale_date``, adding new partitions to the curated catalog table as it writes.

Job arguments (set by the infrastructure as the job's default arguments, all required):

  --JOB_NAME          set by Glue itself
  --source_database   Glue database of the raw sales table (e.g. ``dev_raw``)
  --source_table      raw sales table with the columns sale_id, store_id, sold_at, amount
                      (text or typed, see ``daily_sales``)
  --target_path       S3 folder of the curated table, e.g. ``s3://dev-curated/daily_sales_by_store/``
  --target_database   Glue database of the curated table
  --target_table      curated table, created on the first run if it does not exist

The job also needs ``--job-bookmark-option job-bookmark-enable``: job bookmarks make each
run read only the raw files that arrived since the last successful run. ``job.init`` loads
the bookmark and ``job.commit`` saves it, so a failed run is simply rerun; it reads the
same new files again and has written nothing that a commit recorded.

Output table (one row per store, day and run):

  store_id      string
  sales_count   bigint          number of sales
  total_amount  decimal(18,2)   summed exactly as decimal(38,6), rounded half up to cents
  sale_date     string          partition, ``YYYY-MM-DD``, the UTC day of sold_at

Because bookmarked runs only see new files, a day whose sales arrive over several runs has
one row per run in its partition: query ``SUM(sales_count), SUM(total_amount) ... GROUP BY
sale_date, store_id``.

The input contract (argument values, columns and their types, row rules) and the aggregation
live in ``jobs/common/daily_sales.py``, shared with the EMR job so both accept the same input;
the job ships it with ``--extra-py-files``. Bad input fails the run with a ``SalesInputError``
naming the argument, the column or a few offending sale_ids, before anything is written or the
bookmark is committed.
"""

import sys

from awsglue.context import GlueContext
from awsglue.dynamicframe import DynamicFrame
from awsglue.job import Job
from awsglue.utils import getResolvedOptions
from pyspark.context import SparkContext

from daily_sales import (
    check_catalog_name,
    check_s3_uri,
    daily_sales_by_store,
    fail_on_invalid_rows,
    typed_sales,
)

ARGUMENTS = [
    "JOB_NAME",
    "source_database",
    "source_table",
    "target_path",
    "target_database",
    "target_table",
]
CATALOG_NAME_ARGUMENTS = ["source_database", "source_table", "target_database", "target_table"]
PARTITION_KEYS = ["sale_date"]


def main() -> None:
    args = getResolvedOptions(sys.argv, ARGUMENTS)
    for name in CATALOG_NAME_ARGUMENTS:
        check_catalog_name(f"--{name}", args[name])
    check_s3_uri("--target_path", args["target_path"])

    sc = SparkContext.getOrCreate()
    glue_context = GlueContext(sc)
    spark = glue_context.spark_session
    # sale_date is the UTC day of sold_at, whatever the cluster's default time zone.
    spark.conf.set("spark.sql.session.timeZone", "UTC")
    logger = glue_context.get_logger()

    job = Job(glue_context)
    job.init(args["JOB_NAME"], args)

    # transformation_ctx is the bookmark key of this read: only files new since the last
    # committed run are returned.
    raw = glue_context.create_dynamic_frame.from_catalog(
        database=args["source_database"],
        table_name=args["source_table"],
        transformation_ctx="raw_sales",
    )
    raw_df = raw.toDF()
    if raw_df.isEmpty():
        logger.info("no new raw sales since the last bookmark; nothing to write")
        job.commit()
        return

    sales = typed_sales(raw_df).cache()
    fail_on_invalid_rows(sales)
    daily = daily_sales_by_store(sales)

    sink = glue_context.getSink(
        connection_type="s3",
        path=args["target_path"],
        enableUpdateCatalog=True,
        updateBehavior="UPDATE_IN_DATABASE",
        partitionKeys=PARTITION_KEYS,
        transformation_ctx="curated_daily_sales_by_store",
    )
    sink.setFormat("glueparquet", compression="snappy")
    sink.setCatalogInfo(catalogDatabase=args["target_database"], catalogTableName=args["target_table"])
    sink.writeFrame(DynamicFrame.fromDF(daily, glue_context, "daily_sales_by_store"))

    logger.info(
        f"wrote daily sales by store for {sales.count()} raw sales to {args['target_path']} "
        f"({args['target_database']}.{args['target_table']})"
    )
    sales.unpersist()
    job.commit()


if __name__ == "__main__":
    main()
