// The alerting slice of the model: who Alertmanager notifies, by severity. Every credential (a webhook URL with its
// token, Slack's incoming-webhook URL, an SMTP password) stays in a Secret the model only names.
import { z } from 'zod';
import { dnsLabel, dnsSubdomain } from './names';

/** The receiver of alerts no route takes (none: wolke's alerts all carry a severity); not a name for the model's. */
export const UNROUTED_RECEIVER = 'unrouted';

/** Severities wolke's alerts carry (charts/alert-rules.ts). */
const SEVERITIES = ['critical', 'warning'] as const;
export type Severity = (typeof SEVERITIES)[number];

/** A key of a Secret in the apps namespace, where the AlertmanagerConfig that reads it lives. */
const secretKey = z.strictObject({
  /** Name of the Secret. */
  name: dnsSubdomain('a Secret name such as alert-webhook'),
  /** Key inside the Secret. */
  key: z.string().regex(/^[-._a-zA-Z0-9]{1,253}$/, {
    error: (i) => `must be a Secret key: letters, digits, "-", "_" and "." (got ${JSON.stringify(i.input)})`,
  }),
});

/** Refuses a credential written into the model, saying where it belongs instead. */
const inlined = (field: string) =>
  z.never({ error: `must not be in the model, which is committed: put it in a Secret of the apps namespace and name it with ${field}` }).optional();

const emailAddress = z.email({ error: (i) => `must be an email address (got ${JSON.stringify(i.input)})` });

const webhook = z.strictObject({
  /** Secret key holding the URL Alertmanager posts to (URLs of such hooks usually carry a token). */
  urlSecret: secretKey,
  url: inlined('urlSecret'),
});

const slack = z.strictObject({
  /** Secret key holding Slack's incoming-webhook URL. */
  apiUrlSecret: secretKey,
  apiUrl: inlined('apiUrlSecret'),
  /** Channel the messages go to, e.g. #ops. */
  channel: z.string().regex(/^[#@][-_.a-z0-9]{1,80}$/, { error: (i) => `must be a Slack channel such as #ops (got ${JSON.stringify(i.input)})` }),
});

const email = z
  .strictObject({
    to: emailAddress,
    from: emailAddress,
    /** SMTP server as host:port. */
    smarthost: z.string().regex(/^[a-zA-Z0-9.-]+:[0-9]{1,5}$/, { error: (i) => `must be host:port such as smtp.example.com:587 (got ${JSON.stringify(i.input)})` }),
    /** SMTP login; its password comes from passwordSecret. */
    username: z.string().min(1, { error: 'must not be empty' }).optional(),
    passwordSecret: secretKey.optional(),
    password: inlined('passwordSecret'),
    /** STARTTLS required (Alertmanager's default); off only for a relay inside the cluster's network. */
    requireTls: z.boolean().default(true),
  })
  .refine((e) => (e.username === undefined) === (e.passwordSecret === undefined), {
    path: ['passwordSecret'],
    error: 'and username go together: an SMTP login needs both, a relay without login neither',
  });

const receiver = z
  .strictObject({
    /** Name of the receiver in Alertmanager. */
    name: dnsLabel(63).refine((n) => n !== UNROUTED_RECEIVER, { error: `must not be ${UNROUTED_RECEIVER}: wolke names the receiver of unrouted alerts so` }),
    /** Severities this receiver is notified of. */
    severities: z
      .array(z.enum(SEVERITIES, { error: (i) => `must be one of ${SEVERITIES.join(', ')} (got ${JSON.stringify(i.input)})` }))
      .min(1, { error: 'must name at least one severity' })
      .default([...SEVERITIES]),
    webhook: webhook.optional(),
    slack: slack.optional(),
    email: email.optional(),
  })
  .superRefine((r, ctx) => {
    const kinds = (['webhook', 'slack', 'email'] as const).filter((k) => r[k] !== undefined);
    if (kinds.length !== 1) {
      ctx.addIssue({
        code: 'custom',
        message: `must have exactly one of webhook, slack or email (got ${kinds.length === 0 ? 'none' : kinds.join(' and ')}); give each its own receiver`,
        input: r,
      });
    }
  });

export const alertingSchema = z
  .strictObject({
    /**
     * Who is notified of wolke's alerts, each of the severities it names. None: the alerts are visible in
     * Alertmanager's and Prometheus's UIs only.
     */
    receivers: z.array(receiver).superRefine((list, ctx) => {
      list.forEach((r, i) => {
        const first = list.findIndex((o) => o.name === r.name);
        if (first !== i) ctx.addIssue({ code: 'custom', path: [i, 'name'], message: `repeats ${JSON.stringify(r.name)} (receiver ${first}); receiver names must be unique`, input: r.name });
      });
    }),
  })
  .prefault({ receivers: [] });

export type Alerting = z.infer<typeof alertingSchema>;
export type AlertReceiver = Alerting['receivers'][number];
