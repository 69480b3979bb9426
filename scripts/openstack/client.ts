// A small OpenStack API client: a keystone token from the standard OS_* variables and GET/PUT on the catalog's services.
export class OpenStackError extends Error {}

/** Which of the OS_* variables are missing for password or application-credential authentication. */
export function missingCredentials(env: NodeJS.ProcessEnv): string[] {
  if (!env.OS_AUTH_URL) return ['OS_AUTH_URL'];
  if (env.OS_APPLICATION_CREDENTIAL_ID || env.OS_APPLICATION_CREDENTIAL_NAME) {
    return env.OS_APPLICATION_CREDENTIAL_SECRET ? [] : ['OS_APPLICATION_CREDENTIAL_SECRET'];
  }
  const needed = ['OS_USERNAME', 'OS_PASSWORD'];
  if (!env.OS_PROJECT_NAME && !env.OS_PROJECT_ID && !env.OS_TENANT_NAME && !env.OS_TENANT_ID) needed.push('OS_PROJECT_NAME');
  return needed.filter((k) => !env[k]);
}

interface CatalogEntry {
  type: string;
  endpoints: { interface: string; region_id?: string; region?: string; url: string }[];
}

/** The keystone v3 authentication request the OS_* variables describe. */
export function authRequest(env: NodeJS.ProcessEnv): unknown {
  if (env.OS_APPLICATION_CREDENTIAL_ID || env.OS_APPLICATION_CREDENTIAL_NAME) {
    const credential = env.OS_APPLICATION_CREDENTIAL_ID
      ? { id: env.OS_APPLICATION_CREDENTIAL_ID, secret: env.OS_APPLICATION_CREDENTIAL_SECRET }
      : { name: env.OS_APPLICATION_CREDENTIAL_NAME, secret: env.OS_APPLICATION_CREDENTIAL_SECRET, user: { name: env.OS_USERNAME, domain: { name: env.OS_USER_DOMAIN_NAME ?? 'Default' } } };
    return { auth: { identity: { methods: ['application_credential'], application_credential: credential } } };
  }
  const projectDomain = env.OS_PROJECT_DOMAIN_ID ? { id: env.OS_PROJECT_DOMAIN_ID } : { name: env.OS_PROJECT_DOMAIN_NAME ?? 'Default' };
  const project = env.OS_PROJECT_ID ?? env.OS_TENANT_ID
    ? { id: env.OS_PROJECT_ID ?? env.OS_TENANT_ID }
    : { name: env.OS_PROJECT_NAME ?? env.OS_TENANT_NAME, domain: projectDomain };
  const userDomain = env.OS_USER_DOMAIN_ID ? { id: env.OS_USER_DOMAIN_ID } : { name: env.OS_USER_DOMAIN_NAME ?? 'Default' };
  return {
    auth: {
      identity: { methods: ['password'], password: { user: { name: env.OS_USERNAME, domain: userDomain, password: env.OS_PASSWORD } } },
      scope: { project },
    },
  };
}

export class OpenStackClient {
  private constructor(
    private readonly token: string,
    private readonly catalog: CatalogEntry[],
    readonly projectId: string,
    private readonly region: string | undefined,
    private readonly interfaceName: string,
  ) {}

  /** Authenticates with the OS_* variables (an openrc); throws OpenStackError with keystone's answer. */
  static async connect(env: NodeJS.ProcessEnv = process.env): Promise<OpenStackClient> {
    const missing = missingCredentials(env);
    if (missing.length > 0) throw new OpenStackError(`no OpenStack credentials: ${missing.join(', ')} not set`);
    const url = `${env.OS_AUTH_URL!.replace(/\/+$/, '').replace(/\/v3$/, '')}/v3/auth/tokens`;
    let res: Response;
    try {
      res = await fetch(url, {
        method: 'POST',
        headers: { 'content-type': 'application/json' },
        body: JSON.stringify(authRequest(env)),
        signal: AbortSignal.timeout(30_000),
      });
    } catch (error) {
      throw new OpenStackError(`cannot reach keystone at ${url}: ${(error as Error).cause ?? (error as Error).message}`);
    }
    if (res.status !== 201) throw new OpenStackError(`keystone at ${url} refused the credentials (${res.status}): ${(await res.text()).slice(0, 200)}`);
    const body = (await res.json()) as { token: { catalog: CatalogEntry[]; project?: { id: string } } };
    const token = res.headers.get('x-subject-token');
    if (!token || !body.token.project) throw new OpenStackError('keystone issued no project-scoped token: set OS_PROJECT_NAME or OS_PROJECT_ID');
    return new OpenStackClient(token, body.token.catalog, body.token.project.id, env.OS_REGION_NAME, env.OS_INTERFACE ?? 'public');
  }

  /** The endpoint of a service type (compute, network, image, identity) in the chosen region and interface. */
  endpoint(type: string): string {
    const entry = this.catalog.find((c) => c.type === type);
    const endpoint = entry?.endpoints.find(
      (e) => e.interface === this.interfaceName && (!this.region || (e.region_id ?? e.region) === this.region),
    );
    if (!endpoint) throw new OpenStackError(`the catalog has no ${this.interfaceName} ${type} endpoint${this.region ? ` in ${this.region}` : ''}`);
    return endpoint.url.replace(/\/+$/, '');
  }

  async request<T>(type: string, path: string, init: { method?: string; body?: unknown; headers?: Record<string, string> } = {}): Promise<T> {
    const base = this.endpoint(type);
    const prefix = type === 'network' && !/\/v2\.0$/.test(base) ? '/v2.0' : '';
    const res = await fetch(`${base}${prefix}${path}`, {
      method: init.method ?? 'GET',
      headers: { 'x-auth-token': this.token, 'content-type': Buffer.isBuffer(init.body) ? 'application/octet-stream' : 'application/json', ...init.headers },
      // A Buffer is sent as it is (an image upload); anything else as JSON.
      body: init.body === undefined ? undefined : Buffer.isBuffer(init.body) ? new Uint8Array(init.body) : JSON.stringify(init.body),
      signal: AbortSignal.timeout(60_000),
    });
    if (!res.ok) throw new OpenStackError(`${init.method ?? 'GET'} ${type} ${path}: ${res.status} ${(await res.text()).slice(0, 300)}`);
    return (res.status === 204 ? undefined : await res.json()) as T;
  }

  get<T>(type: string, path: string): Promise<T> {
    return this.request<T>(type, path);
  }
}
