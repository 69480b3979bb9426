#!/usr/bin/env bash
# Fetches Spark SQL and hadoop-aws (Maven Central) into the wolke cache and compiles the report job's Spark entry
# (apps/report/spark/SensorDailyReport.java) against them, once; prints SPARK_JARS=<folder> for the tests and
# `npm run lake:report` with REPORT_ENGINE=spark. About 300 MB; setup.sh starts it in the background.
set -euo pipefail
here=$(cd "$(dirname "$0")" && pwd)
cache=${WOLKE_CACHE:-$HOME/.cache/wolke}
pom=$here/spark/pom.xml
source=$here/../apps/report/spark/SensorDailyReport.java
spark_version=$(sed -n 's:.*<spark.version>\(.*\)</spark.version>.*:\1:p' "$pom")
dir=$cache/spark/$spark_version
# The entry is compiled again when its source changes; the jars are fetched once per pom.
stamp=$(cat "$pom" "$source" | sha256sum | cut -c1-16)

if [ ! -f "$dir/.complete-$stamp" ]; then
  mkdir -p "$dir"
  if [ ! -f "$dir/.jars-complete" ] || ! cmp -s "$pom" "$dir/pom.xml"; then
    echo "fetching Spark $spark_version and hadoop-aws from Maven Central" >&2
    rm -rf "$dir.tmp"
    mvn -q -B -f "$pom" dependency:copy-dependencies -DincludeScope=runtime -DoutputDirectory="$dir.tmp"
    rm -rf "$dir"
    mv "$dir.tmp" "$dir"
    cp "$pom" "$dir/pom.xml"
    touch "$dir/.jars-complete"
  fi
  rm -rf "$dir/classes" "$dir"/.complete-*
  javac -nowarn -d "$dir/classes" -cp "$dir/*" "$source"
  touch "$dir/.complete-$stamp"
fi
echo "SPARK_JARS=$dir"
