"""Cleans the day's raw order files into Parquet (an example Glue job of glue-on-existing-bucket)."""
import sys

from awsglue.context import GlueContext
from awsglue.job import Job
from awsglue.utils import getResolvedOptions
from pyspark.context import SparkContext

args = getResolvedOptions(sys.argv, ["JOB_NAME", "source", "target"])
glue = GlueContext(SparkContext.getOrCreate())
job = Job(glue)
job.init(args["JOB_NAME"], args)

orders = glue.spark_session.read.option("header", "true").csv(args["source"])
cleaned = orders.dropna(subset=["order_id"]).dropDuplicates(["order_id"])
cleaned.write.mode("append").parquet(args["target"])

job.commit()
