// The openrc files of the test bed's OpenStack: the OS_* variables of one identity, written and read back.
import { readFileSync, writeFileSync } from 'node:fs';
import { keystoneUrl, type OpenStackPorts } from './configs';

/** OS_* variables of one identity, as an openrc sets them. */
export type OpenRc = Record<string, string>;

/** Writes an openrc file and returns its variables. */
export function openrc(file: string, vars: OpenRc): OpenRc {
  writeFileSync(file, Object.entries(vars).map(([k, v]) => `export ${k}='${v}'\n`).join(''), { mode: 0o600 });
  return vars;
}

/** The OS_* variables of one user in one project of the test bed's keystone. */
export const identity = (ports: OpenStackPorts, user: string, password: string, project: string): OpenRc => ({
  OS_AUTH_URL: `${keystoneUrl(ports)}/v3`,
  OS_IDENTITY_API_VERSION: '3',
  OS_USERNAME: user,
  OS_PASSWORD: password,
  OS_PROJECT_NAME: project,
  OS_USER_DOMAIN_NAME: 'Default',
  OS_PROJECT_DOMAIN_NAME: 'Default',
  OS_REGION_NAME: 'RegionOne',
  OS_INTERFACE: 'public',
});

/** Reads an openrc file written by the test bed (`export KEY='value'` lines). */
export function readOpenrc(file: string): OpenRc {
  return Object.fromEntries([...readFileSync(file, 'utf8').matchAll(/^export (\w+)='(.*)'$/gm)].map((m) => [m[1], m[2]]));
}
