// Entry of the web UI: live sensor chart over Server-Sent Events with the anomalies marked, the daily report, upload
// form and the processed image grid.
import './style.css';
import { apiUrl, fetchAnomalies } from './api';
import { renderChart } from './chart';
import { Gallery } from './gallery';
import { startReportTable } from './report-table';
import { addAverage, type AnomalyPoint, type SensorAverage } from './sensor-history';
import { wireUploadForm } from './upload';

/** Points kept per sensor: about the last few minutes at the producer's default rate. */
const historyLength = 60;
/** How often the anomalies and the report are asked for again. */
const anomaliesIntervalMs = 3_000;
const reportIntervalMs = 60_000;

function element<T extends HTMLElement>(id: string): T {
  const found = document.getElementById(id);
  if (!found) throw new Error(`page is missing #${id}`);
  return found as T;
}

function startSensorStream(): void {
  const chart = element('sensor-chart');
  const legend = element('sensor-legend');
  const status = element('stream-status');
  let history = new Map<string, SensorAverage[]>();
  let anomalies: AnomalyPoint[] = [];
  const render = () => renderChart(chart, legend, history, anomalies);
  render();
  const loadAnomalies = async () => {
    try {
      anomalies = await fetchAnomalies();
      render();
    } catch {
      // The chart still shows the averages; the next poll tries again.
    }
  };
  void loadAnomalies();
  setInterval(() => void loadAnomalies(), anomaliesIntervalMs);

  const setStatus = (state: 'live' | 'connecting' | 'error', text: string) => {
    status.textContent = text;
    status.className = `status status-${state}`;
  };

  const source = new EventSource(apiUrl('sensors/stream'));
  source.addEventListener('open', () => setStatus('live', 'live'));
  // EventSource reconnects by itself; the badge only says so.
  source.addEventListener('error', () => setStatus(source.readyState === EventSource.CLOSED ? 'error' : 'connecting', source.readyState === EventSource.CLOSED ? 'disconnected' : 'reconnecting…'));
  source.addEventListener('snapshot', (event) => {
    for (const average of JSON.parse((event as MessageEvent<string>).data) as SensorAverage[]) history = addAverage(history, average, historyLength);
    render();
  });
  source.addEventListener('average', (event) => {
    history = addAverage(history, JSON.parse((event as MessageEvent<string>).data) as SensorAverage, historyLength);
    render();
  });
}

startSensorStream();
const gallery = new Gallery(element('image-grid'), element('images-status'), element('images-error'), element<HTMLButtonElement>('more-images'));
gallery.start();
wireUploadForm(element<HTMLFormElement>('upload-form'), element('upload-status'), (source) => gallery.trackUpload(source));
startReportTable(element<HTMLTableSectionElement>('report-rows'), element('report-status'), reportIntervalMs);
