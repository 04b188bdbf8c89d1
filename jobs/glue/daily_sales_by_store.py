"""AWS Glue 5.0 (Spark 3.5, Python 3.11) job: daily sales by store.

Reads the raw sales table from the Glue Data Catalog, aggregates the sales of each store
per UTC calendar day, and writes the result to the curated zone as Parquet partitioned by
``sale_date``, registering new partitions in the curated catalog table.

Job arguments (set by the infrastructure as the job's default arguments, all required):

  --JOB_NAME          set by Glue itself
  --source_database   Glue database of the raw sales table (e.g. ``dev_raw``)
  --source_table      raw sales table with the columns sale_id, store_id, sold_at, amount
                      (text or typed, see ``daily_sales``)
  --target_path       S3 folder of the curated table, e.g. ``s3://dev-curated/daily_sales_by_store/``
  --target_database   Glue database of the curated table
  --target_table      curated table, created on the first run if it does not exist
  --write_mode        ``append`` or ``overwrite_partitions`` (see below)

Two ways to run, chosen by the infrastructure from the pipeline's ``incremental`` setting:

``append`` with ``--job-bookmark-option job-bookmark-enable`` (incremental): job bookmarks make
each run read only the raw files that arrived since the last successful run, and the run adds
its rows through a Glue sink that updates the catalog. ``job.init`` loads the bookmark and
``job.commit`` saves it, so a failed run is simply rerun; it reads the same new files again and
has written nothing that a commit recorded.

``overwrite_partitions`` without bookmarks (a replay): the run reads every raw file, so it
recomputes whole days; it replaces each ``sale_date`` partition it writes (Spark's dynamic
partition overwrite: Glue's sinks only add files,
https://docs.aws.amazon.com/glue/latest/dg/update-from-job.html) and registers the table and
partitions through the Data Catalog as Spark's metastore (``--enable-glue-datacatalog``,
https://docs.aws.amazon.com/glue/latest/dg/aws-glue-programming-etl-glue-data-catalog-hive.html).
Rerunning it yields the same partitions instead of a second copy of the data. With bookmarks
it would replace whole days by the rows of the new files alone, so the job refuses that.

Output table (one row per store and day after a replay; one per store, day and run after
bookmarked runs):

  store_id      string
  sales_count   bigint          number of sales
  total_amount  decimal(18,2)   summed exactly as decimal(38,6), rounded half up to cents
  sale_date     string          partition, ``YYYY-MM-DD``, the UTC day of sold_at

Because bookmarked runs only see new files, a day whose sales arrive over several runs has
one row per run in its partition until a replay rewrites it: query ``SUM(sales_count),
SUM(total_amount) ... GROUP BY sale_date, store_id``.

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
    OVERWRITE_PARTITIONS,
    PARTITION_COLUMN,
    SalesInputError,
    check_catalog_name,
    check_s3_uri,
    check_write_mode,
    daily_sales_by_store,
    fail_on_invalid_rows,
    overwrite_partitions,
    partition_values,
    register_partitions,
    typed_sales,
)

ARGUMENTS = [
    "JOB_NAME",
    "source_database",
    "source_table",
    "target_path",
    "target_database",
    "target_table",
    "write_mode",
]
CATALOG_NAME_ARGUMENTS = ["source_database", "source_table", "target_database", "target_table"]


def bookmarks_enabled(argv: list[str]) -> bool:
    """Whether Glue started the run with job bookmarks (its own --job-bookmark-option argument)."""
    for flag, value in zip(argv, argv[1:]):
        if flag == "--job-bookmark-option":
            return value == "job-bookmark-enable"
    return False


def append_to_catalog_table(glue_context, daily, args) -> None:
    """Adds the rows through a Glue sink that creates the table and adds new partitions."""
    sink = glue_context.getSink(
        connection_type="s3",
        path=args["target_path"],
        enableUpdateCatalog=True,
        updateBehavior="UPDATE_IN_DATABASE",
        partitionKeys=[PARTITION_COLUMN],
        transformation_ctx="curated_daily_sales_by_store",
    )
    sink.setFormat("glueparquet", compression="snappy")
    sink.setCatalogInfo(catalogDatabase=args["target_database"], catalogTableName=args["target_table"])
    sink.writeFrame(DynamicFrame.fromDF(daily, glue_context, "daily_sales_by_store"))


def main() -> None:
    args = getResolvedOptions(sys.argv, ARGUMENTS)
    for name in CATALOG_NAME_ARGUMENTS:
        check_catalog_name(f"--{name}", args[name])
    check_s3_uri("--target_path", args["target_path"])
    check_write_mode("--write_mode", args["write_mode"])
    if args["write_mode"] == OVERWRITE_PARTITIONS and bookmarks_enabled(sys.argv):
        raise SalesInputError(
            "--write_mode overwrite_partitions needs job bookmarks off: a bookmarked run reads only "
            "new files and would replace whole days with their rows alone"
        )

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

    if args["write_mode"] == OVERWRITE_PARTITIONS:
        daily = daily.cache()
        sale_dates = partition_values(daily)
        overwrite_partitions(daily, args["target_path"])
        table = f"{args['target_database']}.{args['target_table']}"
        register_partitions(spark, table, args["target_path"], sale_dates)
        daily.unpersist()
    else:
        append_to_catalog_table(glue_context, daily, args)

    logger.info(
        f"wrote daily sales by store for {sales.count()} raw sales to {args['target_path']} "
        f"({args['target_database']}.{args['target_table']})"
    )
    sales.unpersist()
    job.commit()


if __name__ == "__main__":
    main()
