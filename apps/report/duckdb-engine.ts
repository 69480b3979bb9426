// The report on DuckDB, embedded: reads the lake files copied to local disk (the npm build has Parquet built in but
// not httpfs, whose download site is not reachable from everywhere), writes one Parquet file per day.
import { mkdirSync } from 'node:fs';
import { join } from 'node:path';
import { DuckDBInstance } from '@duckdb/node-api';
import type { ReportEngine, ReportRun, TopicFiles } from './engine';

const quote = (text: string) => `'${text.replaceAll("'", "''")}'`;

/** A view over the files, or an empty one with the columns the SQL reads when the range has no file. */
function viewSql(name: string, topic: TopicFiles, emptyColumns: string): string {
  if (topic.files.length === 0) return `CREATE VIEW ${name} AS SELECT ${emptyColumns} WHERE false`;
  return `CREATE VIEW ${name} AS SELECT * FROM read_parquet([${topic.files.map(quote).join(', ')}], union_by_name = true)`;
}

export function duckdbEngine(options: { threads?: number } = {}): ReportEngine {
  return {
    name: 'duckdb',
    async run(run: ReportRun): Promise<string[]> {
      const instance = await DuckDBInstance.create(':memory:', { threads: String(options.threads ?? 2) });
      const db = await instance.connect();
      try {
        // Days are UTC days: the lake's timestamps are UTC instants.
        await db.run("SET TimeZone = 'UTC'");
        await db.run(viewSql('events', run.events, 'CAST(NULL AS VARCHAR) AS id, CAST(NULL AS VARCHAR) AS sensor, CAST(NULL AS DOUBLE) AS value, CAST(NULL AS TIMESTAMPTZ) AS ts'));
        await db.run(viewSql('anomalies', run.anomalies, 'CAST(NULL AS VARCHAR) AS id, CAST(NULL AS VARCHAR) AS sensor, CAST(NULL AS TIMESTAMPTZ) AS ts'));
        await db.run(`CREATE TABLE report AS ${run.sql}`);
        const days = (await db.runAndReadAll('SELECT DISTINCT CAST(date AS VARCHAR) FROM report ORDER BY 1')).getRows().map((r) => String(r[0]));
        for (const day of days) {
          const dir = join(run.outputDir, `date=${day}`);
          mkdirSync(dir, { recursive: true });
          await db.run(`COPY (SELECT * FROM report WHERE date = DATE '${day}' ORDER BY sensor) TO ${quote(join(dir, 'sensor-daily.parquet'))} (FORMAT parquet)`);
        }
        return days;
      } finally {
        db.closeSync();
        instance.closeSync();
      }
    },
  };
}
