// Shows the latest daily report of the lake as a table, one row per sensor, refreshed now and then.
import { fetchReport, type LatestReport } from './api';

const number = (value: number) => value.toFixed(2);

function render(table: HTMLTableSectionElement, status: HTMLElement, report: LatestReport): void {
  if (report.date === null) {
    status.textContent = 'no report yet';
    table.replaceChildren();
    return;
  }
  status.textContent = report.date;
  table.replaceChildren(
    ...report.rows.map((row) => {
      const tr = document.createElement('tr');
      tr.dataset.sensor = row.sensor;
      for (const text of [row.sensor, String(row.readings), number(row.mean), number(row.min), number(row.max), number(row.p50), number(row.p95), String(row.anomalies)]) {
        tr.append(Object.assign(document.createElement('td'), { textContent: text }));
      }
      return tr;
    }),
  );
}

/** Loads the report now and every `intervalMs`; a failure shows in the status and is tried again. */
export function startReportTable(table: HTMLTableSectionElement, status: HTMLElement, intervalMs: number): void {
  const load = async () => {
    try {
      render(table, status, await fetchReport());
    } catch (error) {
      status.textContent = `unavailable: ${error instanceof Error ? error.message : String(error)}`;
    }
  };
  void load();
  setInterval(() => void load(), intervalMs);
}
