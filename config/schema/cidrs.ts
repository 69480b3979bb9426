// The network (CIDR) fields of the model, and the checks every network of it passes.
import { z } from 'zod';
import { hasHostBits, isIPv4Cidr, networkOf, overlaps, prefixLength, reservedRanges } from '../networks';

/** An IPv4 or IPv6 network in CIDR notation. */
export const cidr = z
  .string()
  .refine((v) => z.cidrv4().safeParse(v).success || z.cidrv6().safeParse(v).success, {
    error: (issue) => `must be a CIDR such as 10.0.0.0/24 or 2001:db8::/64 (got ${JSON.stringify(issue.input)})`,
    abort: true,
  });

/** A CIDR whose address is the network's own: Neutron refuses `10.1.0.0/8` in a subnet and rewrites it in a rule. */
export const networkCidr = cidr.refine((v) => !hasHostBits(v), {
  error: (i) => `has bits set after the /${String(i.input).split('/')[1]} prefix; write ${networkOf(String(i.input))}, or a longer prefix if you meant a smaller network`,
});

/** An IPv4 network of the model, clear of the ranges the host itself needs; `why` says why it must be IPv4. */
export const ipv4Network = (example: string, why: string) =>
  networkCidr
    .refine(isIPv4Cidr, { error: `must be an IPv4 CIDR such as ${example}: ${why}`, abort: true })
    .superRefine((v, ctx) => {
      for (const reserved of reservedRanges) {
        if (overlaps(v, reserved.cidr)) {
          ctx.addIssue({ code: 'custom', message: `overlaps ${reserved.cidr}, ${reserved.why}; choose another range such as ${example}`, input: v });
        }
      }
    });

/** A network's size between two prefix lengths, with what refuses a larger and a smaller one. */
export const prefixBetween = (largest: { bits: number; why: string }, smallest: { bits: number; why: string }) =>
  (v: string, ctx: z.RefinementCtx) => {
    const bits = prefixLength(v);
    if (bits < largest.bits) ctx.addIssue({ code: 'custom', message: `must be a /${largest.bits} or smaller: ${largest.why} (got /${bits})`, input: v });
    if (bits > smallest.bits) ctx.addIssue({ code: 'custom', message: `must be a /${smallest.bits} or larger: ${smallest.why} (got /${bits})`, input: v });
  };

