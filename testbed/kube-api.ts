// A minimal HTTPS client of the test-bed API server (client-certificate login), for the test bed's own requests:
// readiness, nodes, the storage stand-in. No kubectl process per call, so polling stays cheap.
import { readFileSync } from 'node:fs';
import { Agent, request } from 'node:https';

export interface KubeApiCredentials {
  /** https://127.0.0.1:port */
  server: string;
  caCert: string;
  clientCert: string;
  clientKey: string;
}

export interface KubeApiResponse<T> {
  status: number;
  body: T;
}

export interface KubeApi {
  /** One request; a JSON body is sent as JSON (or as a merge patch for PATCH), the answer parsed when it is JSON. */
  request<T = unknown>(method: string, path: string, body?: unknown): Promise<KubeApiResponse<T>>;
  /** Like request, but throws unless the status is 2xx (or one of `accept`). */
  expect<T = unknown>(method: string, path: string, body?: unknown, accept?: number[]): Promise<T>;
  /** Closes the kept-alive connections. */
  close(): void;
}

/** A client with its own connection pool; the PEM files are read once. */
export function kubeApi(credentials: KubeApiCredentials): KubeApi {
  const agent = new Agent({
    keepAlive: true,
    maxSockets: 4,
    ca: readFileSync(credentials.caCert),
    cert: readFileSync(credentials.clientCert),
    key: readFileSync(credentials.clientKey),
  });
  const base = new URL(credentials.server);
  const send = <T>(method: string, path: string, body?: unknown) =>
    new Promise<KubeApiResponse<T>>((resolve, reject) => {
      const payload = body === undefined ? undefined : JSON.stringify(body);
      const req = request(
        {
          agent,
          host: base.hostname,
          port: base.port,
          method,
          path,
          timeout: 10_000,
          headers: {
            accept: 'application/json',
            ...(payload === undefined
              ? {}
              : {
                  'content-type': method === 'PATCH' ? 'application/merge-patch+json' : 'application/json',
                  'content-length': Buffer.byteLength(payload),
                }),
          },
        },
        (res) => {
          const chunks: Buffer[] = [];
          res.on('data', (c: Buffer) => chunks.push(c));
          res.on('end', () => {
            const text = Buffer.concat(chunks).toString('utf8');
            let parsed: unknown = text;
            if ((res.headers['content-type'] ?? '').includes('json')) {
              try {
                parsed = JSON.parse(text);
              } catch {
                // Keep the text: the caller shows it in its error.
              }
            }
            resolve({ status: res.statusCode ?? 0, body: parsed as T });
          });
          res.on('error', reject);
        },
      );
      req.on('timeout', () => req.destroy(new Error(`${method} ${path}: no answer in 10 s`)));
      req.on('error', reject);
      req.end(payload);
    });
  return {
    request: send,
    async expect<T>(method: string, path: string, body?: unknown, accept: number[] = []) {
      const res = await send<T>(method, path, body);
      if ((res.status < 200 || res.status > 299) && !accept.includes(res.status)) {
        const detail = typeof res.body === 'string' ? res.body : JSON.stringify(res.body);
        throw new Error(`${method} ${path}: HTTP ${res.status} ${detail.slice(0, 500)}`);
      }
      return res.body;
    },
    close: () => agent.destroy(),
  };
}
