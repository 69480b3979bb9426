-- The daily report per sensor, the one SQL both engines run (DuckDB and Spark SQL read it as it is).
-- The engine defines two views first: `events` (the lake's events files) and `anomalies` (the anomalies topic's files),
-- and the parameters :from_date and :to_date (inclusive, UTC days) are replaced by DATE literals.
-- A day is the reading's own time (ts, UTC), not the file's partition: a file may cross midnight.
-- The detector may repeat an anomaly after a restart (same id): each reading counts once.
WITH readings AS (
  SELECT sensor, CAST(ts AS DATE) AS day, value
  FROM events
  WHERE CAST(ts AS DATE) BETWEEN :from_date AND :to_date
),
daily AS (
  SELECT
    sensor,
    day,
    COUNT(*) AS readings,
    AVG(value) AS mean,
    MIN(value) AS min,
    MAX(value) AS max,
    PERCENTILE_CONT(0.5) WITHIN GROUP (ORDER BY value) AS p50,
    PERCENTILE_CONT(0.95) WITHIN GROUP (ORDER BY value) AS p95
  FROM readings
  GROUP BY sensor, day
),
flagged AS (
  SELECT sensor, CAST(ts AS DATE) AS day, COUNT(DISTINCT id) AS anomalies
  FROM anomalies
  WHERE CAST(ts AS DATE) BETWEEN :from_date AND :to_date
  GROUP BY sensor, CAST(ts AS DATE)
)
SELECT
  daily.sensor,
  daily.day AS date,
  daily.readings,
  daily.mean,
  daily.min,
  daily.max,
  daily.p50,
  daily.p95,
  CAST(COALESCE(flagged.anomalies, 0) AS BIGINT) AS anomalies
FROM daily
LEFT JOIN flagged ON flagged.sensor = daily.sensor AND flagged.day = daily.day
ORDER BY date, sensor
