// The alerting slice of the model: receivers by severity, every credential a Secret reference, each mistake named by its path.
import { readFileSync } from 'node:fs';
import { resolve } from 'node:path';
import { describe, expect, it } from 'vitest';
import { parse } from 'yaml';
import { ConfigError } from '../../../config/errors';
import { environment, withMonitoring } from '../../support/environments';

const webhook = { name: 'oncall', webhook: { urlSecret: { name: 'alert-webhook', key: 'url' } } };

/** The error lines for the example with monitoring on and these receivers; [] when it is accepted. */
function errors(receivers: unknown, monitoring: Record<string, unknown> = { enabled: true }): string[] {
  try {
    environment((raw) => {
      raw.monitoring = { ...monitoring, alerting: { receivers } };
      raw.cluster.agents.count = 3;
    });
    return [];
  } catch (err) {
    if (err instanceof ConfigError) return err.lines;
    throw err;
  }
}

describe('monitoring.alerting', () => {
  it('has no receivers unless the model names some, and sends each receiver both severities unless it says which', () => {
    expect(environment().monitoring.alerting).toEqual({ receivers: [] });
    const env = environment((raw) => withMonitoring(raw, { alerting: { receivers: [webhook] } }));
    expect(env.monitoring.alerting.receivers).toEqual([{ ...webhook, severities: ['critical', 'warning'] }]);
  });

  it('accepts a webhook, a Slack channel and an SMTP login, each with its credential in a Secret', () => {
    expect(
      errors([
        { ...webhook, severities: ['critical'] },
        { name: 'chat', slack: { apiUrlSecret: { name: 'alert-slack', key: 'url' }, channel: '#wolke' } },
        { name: 'mail', email: { to: 'ops@example.com', from: 'alerts@example.com', smarthost: 'smtp.example.com:587', username: 'alerts', passwordSecret: { name: 'smtp', key: 'password' } } },
        { name: 'relay', email: { to: 'ops@example.com', from: 'alerts@example.com', smarthost: 'relay.internal:25', requireTls: false } },
      ]),
    ).toEqual([]);
  });

  it('refuses a credential written into the model, saying where it goes instead', () => {
    expect(errors([{ name: 'oncall', webhook: { url: 'https://hooks.example.com/T0K3N' } }])).toEqual([
      'monitoring.alerting.receivers.0.webhook.urlSecret: is required (object)',
      'monitoring.alerting.receivers.0.webhook.url: must not be in the model, which is committed: put it in a Secret of the apps namespace and name it with urlSecret',
    ]);
    expect(errors([{ name: 'chat', slack: { apiUrlSecret: { name: 's', key: 'url' }, apiUrl: 'https://hooks.slack.com/x', channel: '#a' } }])).toEqual([
      'monitoring.alerting.receivers.0.slack.apiUrl: must not be in the model, which is committed: put it in a Secret of the apps namespace and name it with apiUrlSecret',
    ]);
    const mail = { to: 'ops@example.com', from: 'alerts@example.com', smarthost: 'smtp.example.com:587', username: 'alerts' };
    expect(errors([{ name: 'mail', email: { ...mail, password: 'hunter2' } }])).toEqual([
      'monitoring.alerting.receivers.0.email.password: must not be in the model, which is committed: put it in a Secret of the apps namespace and name it with passwordSecret',
    ]);
    expect(errors([{ name: 'mail', email: mail }])).toEqual([
      'monitoring.alerting.receivers.0.email.passwordSecret: and username go together: an SMTP login needs both, a relay without login neither',
    ]);
  });

  it('names the receiver that has no kind, or two, a repeated name, a wrong severity and malformed fields', () => {
    expect(errors([{ name: 'nobody' }])).toEqual([
      'monitoring.alerting.receivers.0: must have exactly one of webhook, slack or email (got none); give each its own receiver',
    ]);
    expect(errors([{ ...webhook, slack: { apiUrlSecret: { name: 's', key: 'url' }, channel: '#a' } }])).toEqual([
      'monitoring.alerting.receivers.0: must have exactly one of webhook, slack or email (got webhook and slack); give each its own receiver',
    ]);
    expect(errors([webhook, { ...webhook, severities: ['warning'] }])).toEqual([
      'monitoring.alerting.receivers.1.name: repeats "oncall" (receiver 0); receiver names must be unique',
    ]);
    expect(errors([{ ...webhook, severities: ['page'] }])).toEqual(['monitoring.alerting.receivers.0.severities.0: must be one of critical, warning (got "page")']);
    expect(errors([{ ...webhook, severities: [] }])).toEqual(['monitoring.alerting.receivers.0.severities: must name at least one severity']);
    expect(errors([{ ...webhook, name: 'unrouted' }])).toEqual([
      'monitoring.alerting.receivers.0.name: must not be unrouted: wolke names the receiver of unrouted alerts so',
    ]);
    expect(errors([{ name: 'chat', slack: { apiUrlSecret: { name: 'Alert_Slack', key: 'url' }, channel: 'wolke' } }])).toEqual([
      expect.stringMatching(/^monitoring\.alerting\.receivers\.0\.slack\.apiUrlSecret\.name: must be a Secret name such as alert-webhook: .*\(got "Alert_Slack"\)$/),
      'monitoring.alerting.receivers.0.slack.channel: must be a Slack channel such as #ops (got "wolke")',
    ]);
    expect(errors([{ name: 'mail', email: { to: 'ops', from: 'alerts@example.com', smarthost: 'smtp.example.com' } }])).toEqual([
      'monitoring.alerting.receivers.0.email.to: must be an email address (got "ops")',
      'monitoring.alerting.receivers.0.email.smarthost: must be host:port such as smtp.example.com:587 (got "smtp.example.com")',
    ]);
  });

  it("accepts the README's example as it stands", () => {
    const readme = readFileSync(resolve(__dirname, '..', '..', '..', 'README.md'), 'utf8');
    const section = readme.slice(readme.indexOf('**Alert routing.**'));
    const block = /```yaml\n([\s\S]*?)```/.exec(section)![1];
    const { monitoring } = parse(block);
    expect(monitoring.alerting.receivers.map((r: { name: string }) => r.name)).toEqual(['oncall', 'team-chat', 'mail']);
    expect(errors(monitoring.alerting.receivers)).toEqual([]);
  });

  it('refuses receivers while monitoring is off: no Alertmanager would run to notify them', () => {
    expect(errors([webhook], { enabled: false })).toEqual([
      'monitoring.alerting.receivers: need monitoring.enabled: true; without the monitoring stack no Alertmanager runs to notify them',
    ]);
  });
});
