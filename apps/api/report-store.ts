// The latest daily report from the lake (the report job's <prefix>/date=<day>/sensor-daily.parquet), read with the
// API's own identity and kept for a while, so requests do not each go to MinIO.
import type { Client } from 'minio';
import { parquetReadObjects } from 'hyparquet';
import type { LatestReport, ReportRow } from '../../contracts/sensor-report';

export interface ReportStoreOptions {
  client: Client;
  bucket: string;
  /** Key prefix of the reports, e.g. reports/sensor-daily. */
  prefix: string;
  /** How long a read report is served before the lake is asked again. */
  cacheMs: number;
  now?: () => number;
}

const dayText = (value: unknown) => (value instanceof Date ? value.toISOString().slice(0, 10) : String(value));

export class ReportStore {
  private cached?: { at: number; report: LatestReport };
  private loading?: Promise<LatestReport>;

  constructor(private readonly options: ReportStoreOptions) {}

  /** The latest report, from the cache while it is fresh; one read at a time however many requests wait. */
  async latest(): Promise<LatestReport> {
    const now = (this.options.now ?? Date.now)();
    if (this.cached !== undefined && now - this.cached.at < this.options.cacheMs) return this.cached.report;
    this.loading ??= this.read()
      .then((report) => {
        this.cached = { at: (this.options.now ?? Date.now)(), report };
        return report;
      })
      .finally(() => {
        this.loading = undefined;
      });
    return this.loading;
  }

  private async read(): Promise<LatestReport> {
    const { client, bucket, prefix } = this.options;
    let latest: { key: string; date: string; lastModified?: Date } | undefined;
    for await (const item of client.listObjectsV2(bucket, `${prefix}/date=`, true)) {
      const match = 'name' in item && item.name ? /\/date=(\d{4}-\d{2}-\d{2})\/[^/]+\.parquet$/.exec(item.name) : null;
      if (match && (latest === undefined || match[1]! > latest.date)) latest = { key: item.name!, date: match[1]!, lastModified: item.lastModified };
    }
    if (latest === undefined) return { date: null, key: null, writtenAt: null, rows: [] };
    const stream = await client.getObject(bucket, latest.key);
    const chunks: Buffer[] = [];
    for await (const chunk of stream) chunks.push(chunk as Buffer);
    const buffer = Buffer.concat(chunks);
    const file = buffer.buffer.slice(buffer.byteOffset, buffer.byteOffset + buffer.byteLength);
    const rows = (await parquetReadObjects({ file })).map(
      (r): ReportRow => ({
        sensor: String(r.sensor),
        date: dayText(r.date),
        readings: Number(r.readings),
        mean: Number(r.mean),
        min: Number(r.min),
        max: Number(r.max),
        p50: Number(r.p50),
        p95: Number(r.p95),
        anomalies: Number(r.anomalies),
      }),
    );
    return { date: latest.date, key: latest.key, writtenAt: latest.lastModified?.toISOString() ?? null, rows };
  }
}
