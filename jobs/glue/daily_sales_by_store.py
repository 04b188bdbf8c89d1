"""AWS Glue 5.0 (Spark 3.5, Python 3.11) job: daily sales by store.

Reads the raw sales table from the Glue Data Catalog, aggregates the sales of each store
per UTC calendar day, and appends the result to the curated zone as Parquet partitioned
by ``sale_date``, adding new partitions to the curated catalog table as it writes.

Job arguments (set by the infrastructure as the job's default arguments, all required):

  --JOB_NAME          set by Glue itself
  --source_database   Glue database of the raw sales table (e.g. ``dev_raw``)
  --source_table      raw sales table; columns sale_id, store_id, sold_at, amount
                      (sold_at an ISO-8601 timestamp or a timestamp column, amount a
                      decimal or a number)
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

Rows with a missing sale_id or store_id, a sold_at that is not a timestamp, or an amount that
is not a number fail the run (listing a few offending sale_ids) rather than being dropped.
"""

import sys

from awsglue.context import GlueContext
from awsglue.dynamicframe import DynamicFrame
from awsglue.job import Job
from awsglue.utils import getResolvedOptions
from pyspark.context import SparkContext
from pyspark.sql import DataFrame
from pyspark.sql import functions as F

ARGUMENTS = [
    "JOB_NAME",
    "source_database",
    "source_table",
    "target_path",
    "target_database",
    "target_table",
]
REQUIRED_COLUMNS = ["sale_id", "store_id", "sold_at", "amount"]
PARTITION_KEYS = ["sale_date"]
MAX_EXAMPLES = 5


def typed_sales(raw: DataFrame) -> DataFrame:
    """Casts the raw columns (the crawler may type them as strings) and derives sale_date."""
    missing = [c for c in REQUIRED_COLUMNS if c not in {f.lower() for f in raw.columns}]
    if missing:
        raise ValueError(
            f"source table lacks column(s) {', '.join(missing)}; expected {', '.join(REQUIRED_COLUMNS)}"
        )
    sold_at = F.col("sold_at").cast("timestamp")
    return raw.select(
        F.trim(F.col("sale_id").cast("string")).alias("sale_id"),
        F.trim(F.col("store_id").cast("string")).alias("store_id"),
        sold_at.alias("sold_at"),
        # decimal(38,6): exact sums; a double column is converted through its decimal text.
        F.trim(F.col("amount").cast("string")).cast("decimal(38,6)").alias("amount"),
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
        count = invalid.count()
        raise ValueError(
            f"{count} raw sales row(s) have an empty sale_id or store_id, a sold_at that is not a "
            f"timestamp, or an amount that is not a number; first sale_ids: {examples}"
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


def main() -> None:
    args = getResolvedOptions(sys.argv, ARGUMENTS)

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
