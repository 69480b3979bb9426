// Alertmanager's routing of wolke's alerts: the model's receivers, each sent the severities it names, as the spec of an
// AlertmanagerConfig in the apps namespace (the operator scopes it to alerts labelled with that namespace).
import { UNROUTED_RECEIVER, type AlertReceiver } from '../config/alerting-schema';
import type { AlertmanagerConfigSpec, AlertmanagerReceiver } from './monitoring-kinds';

/** Name of the AlertmanagerConfig object. */
export const ALERT_ROUTING_NAME = 'wolke-alerts';

/** How alerts are batched: one notification per alert name and severity, repeated while it keeps firing. */
const GROUPING = { groupBy: ['alertname', 'severity'], groupWait: '30s', groupInterval: '5m', repeatInterval: '4h' } as const;

function receiverOf(r: AlertReceiver): AlertmanagerReceiver {
  if (r.webhook) return { name: r.name, webhookConfigs: [{ urlSecret: r.webhook.urlSecret, sendResolved: true }] };
  if (r.slack) return { name: r.name, slackConfigs: [{ apiURL: r.slack.apiUrlSecret, channel: r.slack.channel, sendResolved: true }] };
  if (r.email) {
    const { to, from, smarthost, username, passwordSecret, requireTls } = r.email;
    return {
      name: r.name,
      emailConfigs: [{ to, from, smarthost, ...(username && { authUsername: username, authPassword: passwordSecret }), requireTLS: requireTls, sendResolved: true }],
    };
  }
  // The schema allows exactly one kind per receiver.
  throw new Error(`receiver ${r.name} has no webhook, slack or email`);
}

/**
 * Every receiver gets a route matching its severities; `continue` lets an alert reach each receiver that wants its
 * severity, not only the first. The root's receiver takes what no route matches, and notifies nobody.
 */
export function alertRouting(receivers: readonly AlertReceiver[]): AlertmanagerConfigSpec {
  return {
    route: {
      receiver: UNROUTED_RECEIVER,
      ...GROUPING,
      routes: receivers.map((r) => ({
        receiver: r.name,
        matchers: [{ name: 'severity', matchType: '=~', value: r.severities.join('|') }],
        continue: true,
      })),
    },
    receivers: [{ name: UNROUTED_RECEIVER }, ...receivers.map(receiverOf)],
  };
}
