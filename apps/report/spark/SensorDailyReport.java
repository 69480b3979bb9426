// The report on Spark SQL: the same sensor-daily.sql as DuckDB's, over the lake's files read through s3a, one Parquet
// file per day written to a local folder (the job uploads it like DuckDB's).
// Usage: SensorDailyReport <sql file> <events list> <anomalies list> <output dir>; a list holds one s3a:// URL a line.
// S3A reaches MinIO through LAKE_S3_ENDPOINT and the AWS_ACCESS_KEY_ID / AWS_SECRET_ACCESS_KEY environment, so no
// credential is on the command line.
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.SparkSession;
import org.apache.spark.sql.types.StructType;

public final class SensorDailyReport {
  private SensorDailyReport() {}

  public static void main(String[] args) throws Exception {
    if (args.length != 4) throw new IllegalArgumentException("usage: SensorDailyReport <sql> <events list> <anomalies list> <output dir>");
    String sql = Files.readString(Path.of(args[0]));
    SparkSession spark = SparkSession.builder()
        .appName("wolke-sensor-daily")
        .master(System.getenv().getOrDefault("SPARK_MASTER", "local[2]"))
        .config("spark.sql.session.timeZone", "UTC")
        .config("spark.ui.enabled", "false")
        .config("spark.sql.shuffle.partitions", "4")
        .config("spark.hadoop.fs.s3a.endpoint", System.getenv("LAKE_S3_ENDPOINT"))
        .config("spark.hadoop.fs.s3a.endpoint.region", System.getenv().getOrDefault("AWS_REGION", "us-east-1"))
        .config("spark.hadoop.fs.s3a.path.style.access", "true")
        .config("spark.hadoop.fs.s3a.connection.ssl.enabled", String.valueOf(System.getenv("LAKE_S3_ENDPOINT").startsWith("https:")))
        .config("spark.hadoop.fs.s3a.aws.credentials.provider", "software.amazon.awssdk.auth.credentials.EnvironmentVariableCredentialsProvider")
        .getOrCreate();
    try {
      view(spark, "events", args[1], "id STRING, sensor STRING, value DOUBLE, ts TIMESTAMP");
      view(spark, "anomalies", args[2], "id STRING, sensor STRING, ts TIMESTAMP");
      Dataset<Row> report = spark.sql(sql).cache();
      List<Row> days = report.selectExpr("CAST(date AS STRING)").distinct().collectAsList();
      for (Row day : days) {
        report.where("date = DATE '" + day.getString(0) + "'").orderBy("sensor").coalesce(1)
            .write().mode("overwrite").parquet(Path.of(args[3], "date=" + day.getString(0)).toUri().toString());
      }
    } finally {
      spark.stop();
    }
  }

  /** A view of the columns the SQL reads over the listed files (empty when the range has none). */
  private static void view(SparkSession spark, String name, String listFile, String columns) throws Exception {
    List<String> files = Files.readAllLines(Path.of(listFile)).stream().filter(l -> !l.isBlank()).toList();
    StructType schema = StructType.fromDDL(columns);
    // The columns are given, so Spark reads no file's footer to infer them before the query.
    Dataset<Row> data = files.isEmpty()
        ? spark.createDataFrame(List.of(), schema)
        : spark.read().schema(schema).parquet(files.toArray(String[]::new));
    data.createOrReplaceTempView(name);
  }
}
