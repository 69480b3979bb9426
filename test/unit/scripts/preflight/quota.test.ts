import { describe, expect, it } from 'vitest';
import { quotaShortfalls } from '../../../../scripts/preflight/quota';
import { authRequest, missingCredentials } from '../../../../scripts/openstack/client';

describe('quotaShortfalls', () => {
  it('names the quota, the peak and its parts when new nodes do not fit', () => {
    const lines = quotaShortfalls(
      [
        { name: 'instances', more: 3, why: '3 new node(s)' },
        { name: 'ram', more: 20480, why: '3 new node(s)', unit: 'MiB' },
      ],
      { instances: { limit: 2, used: 0 }, ram: { limit: 51200, used: 4096 } },
    );
    expect(lines).toEqual([
      "quota instances too small: the deploy needs 3 at its peak (0 in use + 3 for 3 new node(s)) but the project's limit is 2; ask your cloud admin to raise it, or plan fewer or smaller nodes",
    ]);
  });

  it('counts what is in use: a replacement needs room beside the node it replaces', () => {
    expect(quotaShortfalls([{ name: 'cores', more: 4, why: '1 new node(s)' }], { cores: { limit: 12, used: 10 } })).toHaveLength(1);
    expect(quotaShortfalls([{ name: 'cores', more: 2, why: '1 new node(s)' }], { cores: { limit: 12, used: 10 } })).toEqual([]);
  });

  it('ignores unlimited quotas, quotas the cloud does not report and needs of zero', () => {
    expect(
      quotaShortfalls(
        [
          { name: 'instances', more: 50, why: 'x' },
          { name: 'port', more: 5, why: 'x' },
          { name: 'floatingip', more: 0, why: 'x' },
        ],
        { instances: { limit: -1, used: 10 }, floatingip: { limit: 0, used: 3 } },
      ),
    ).toEqual([]);
  });
});

describe('OpenStack credentials from the OS_* environment', () => {
  it('says which variables are missing', () => {
    expect(missingCredentials({})).toEqual(['OS_AUTH_URL']);
    expect(missingCredentials({ OS_AUTH_URL: 'https://k' })).toEqual(['OS_USERNAME', 'OS_PASSWORD', 'OS_PROJECT_NAME']);
    expect(missingCredentials({ OS_AUTH_URL: 'https://k', OS_APPLICATION_CREDENTIAL_ID: 'id' })).toEqual(['OS_APPLICATION_CREDENTIAL_SECRET']);
    expect(missingCredentials({ OS_AUTH_URL: 'https://k', OS_USERNAME: 'u', OS_PASSWORD: 'p', OS_PROJECT_ID: 'x' })).toEqual([]);
  });

  it('builds a project-scoped password request with the domains of the openrc', () => {
    expect(authRequest({ OS_USERNAME: 'u', OS_PASSWORD: 'p', OS_PROJECT_NAME: 'proj', OS_USER_DOMAIN_NAME: 'Users', OS_PROJECT_DOMAIN_ID: 'd1' })).toEqual({
      auth: {
        identity: { methods: ['password'], password: { user: { name: 'u', domain: { name: 'Users' }, password: 'p' } } },
        scope: { project: { name: 'proj', domain: { id: 'd1' } } },
      },
    });
  });
});
