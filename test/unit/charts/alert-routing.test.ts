// Alert routing in the manifests: the model's receivers become an AlertmanagerConfig that the stack's Alertmanager
// selects, each receiver routed its severities, credentials only as Secret references.
import { describe, expect, it } from 'vitest';
import { parseAllDocuments } from 'yaml';
import { manifestsYaml } from '../../../charts/manifests';
import { environment, withMonitoring } from '../../support/environments';

type Manifest = { apiVersion: string; kind: string; metadata: { name: string; namespace?: string; labels?: Record<string, string> }; spec: any };

const receivers = [
  { name: 'oncall', severities: ['critical'], webhook: { urlSecret: { name: 'alert-webhook', key: 'url' } } },
  { name: 'team-chat', slack: { apiUrlSecret: { name: 'alert-slack', key: 'url' }, channel: '#wolke' } },
  {
    name: 'mail',
    severities: ['warning'],
    email: { to: 'ops@example.com', from: 'alerts@example.com', smarthost: 'smtp.example.com:587', username: 'alerts', passwordSecret: { name: 'alert-smtp', key: 'password' } },
  },
];

const docsOf = (alerting?: unknown): Manifest[] =>
  parseAllDocuments(manifestsYaml(environment((raw) => withMonitoring(raw, alerting ? { alerting } : {})))).map((d) => d.toJS() as Manifest);

describe('alert routing', () => {
  it('renders no AlertmanagerConfig without receivers: the alerts stay in the UIs', () => {
    expect(docsOf().filter((d) => d.kind === 'AlertmanagerConfig')).toEqual([]);
  });

  const docs = docsOf({ receivers });
  const config = docs.find((d) => d.kind === 'AlertmanagerConfig')!;

  it('routes each receiver the severities it names, every matching receiver notified, the rest to nobody', () => {
    expect(config.apiVersion).toBe('monitoring.coreos.com/v1alpha1');
    expect(config.metadata).toMatchObject({ name: 'wolke-alerts', namespace: 'wolke' });
    expect(config.spec.route).toEqual({
      receiver: 'unrouted',
      groupBy: ['alertname', 'severity'],
      groupWait: '30s',
      groupInterval: '5m',
      repeatInterval: '4h',
      routes: [
        { receiver: 'oncall', matchers: [{ name: 'severity', matchType: '=~', value: 'critical' }], continue: true },
        { receiver: 'team-chat', matchers: [{ name: 'severity', matchType: '=~', value: 'critical|warning' }], continue: true },
        { receiver: 'mail', matchers: [{ name: 'severity', matchType: '=~', value: 'warning' }], continue: true },
      ],
    });
    expect(config.spec.receivers.map((r: { name: string }) => r.name)).toEqual(['unrouted', 'oncall', 'team-chat', 'mail']);
    expect(config.spec.receivers[0]).toEqual({ name: 'unrouted' });
  });

  it('references every credential as a key of a Secret in the apps namespace', () => {
    const [, oncall, chat, mail] = config.spec.receivers;
    expect(oncall.webhookConfigs).toEqual([{ urlSecret: { name: 'alert-webhook', key: 'url' }, sendResolved: true }]);
    expect(chat.slackConfigs).toEqual([{ apiURL: { name: 'alert-slack', key: 'url' }, channel: '#wolke', sendResolved: true }]);
    expect(mail.emailConfigs).toEqual([
      {
        to: 'ops@example.com',
        from: 'alerts@example.com',
        smarthost: 'smtp.example.com:587',
        authUsername: 'alerts',
        authPassword: { name: 'alert-smtp', key: 'password' },
        requireTLS: true,
        sendResolved: true,
      },
    ]);
  });

  it('is selected by the stack\'s Alertmanager, and every wolke alert carries the namespace the operator scopes it to', () => {
    const chart = docs.find((d) => d.kind === 'HelmChart')!;
    const spec = parseAllDocuments(chart.spec.valuesContent)[0].toJS().alertmanager.alertmanagerSpec;
    for (const [label, value] of Object.entries(spec.alertmanagerConfigSelector.matchLabels as Record<string, string>)) {
      expect(config.metadata.labels?.[label], label).toBe(value);
    }
    // The namespace's own name label, which the API server sets on every namespace.
    expect(spec.alertmanagerConfigNamespaceSelector).toEqual({ matchLabels: { 'kubernetes.io/metadata.name': config.metadata.namespace } });
    const rule = docs.find((d) => d.kind === 'PrometheusRule')!;
    const rules = rule.spec.groups.flatMap((g: { rules: { labels: Record<string, string> }[] }) => g.rules);
    expect(rules.length).toBeGreaterThan(10);
    for (const r of rules) expect(r.labels.namespace).toBe(config.metadata.namespace);
  });
});
