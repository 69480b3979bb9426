// Kubernetes resource quantities (`10Gi`, `500M`): the grammar the API server parses, and storage sizes built on it.
import { z } from 'zod';

const binary: Record<string, number> = { Ki: 2 ** 10, Mi: 2 ** 20, Gi: 2 ** 30, Ti: 2 ** 40, Pi: 2 ** 50, Ei: 2 ** 60 };
const decimal: Record<string, number> = { n: 1e-9, u: 1e-6, m: 1e-3, '': 1, k: 1e3, M: 1e6, G: 1e9, T: 1e12, P: 1e15, E: 1e18 };

/** `<signedNumber><suffix>` of k8s.io/apimachinery's resource.Quantity, with the suffix as one group. */
const grammar = /^([+-]?(?:\d+(?:\.\d*)?|\.\d+))(Ki|Mi|Gi|Ti|Pi|Ei|[numkMGTPE]|[eE][+-]?\d+)?$/;

/** The value of a Kubernetes quantity, or undefined when the API server would refuse the text. */
export function quantityValue(text: string): number | undefined {
  const match = grammar.exec(text);
  if (!match) return undefined;
  const [, number, suffix = ''] = match;
  const scale = binary[suffix] ?? decimal[suffix] ?? 10 ** Number(suffix.slice(1));
  return Number(number) * scale;
}

/** What the author probably meant by a quantity Kubernetes refuses: `10GB` → `10G`/`10Gi`, `10 gi` → `10Gi`. */
function suggestQuantity(text: string): string | undefined {
  const match = /^\s*(\d+(?:\.\d+)?)\s*([kmgtpe])(i?)b?\s*$/i.exec(text);
  if (!match) return undefined;
  const [, number, unit, i] = match;
  const powersOfTwo = `${number}${unit.toUpperCase()}i`;
  const powersOfTen = `${number}${unit.toLowerCase() === 'k' ? 'k' : unit.toUpperCase()}`;
  return i ? powersOfTwo : `${powersOfTwo} (or ${powersOfTen} for powers of ten)`;
}

const GiB = 2 ** 30;
/** The largest quantity Kubernetes can hold as an int64 count of bytes. */
const INT64_MAX = 2 ** 63 - 1;

/** A volume size as a Kubernetes quantity of whole bytes, at least `minGiB` GiB because `why`. */
export function storageSize(minGiB: number, why: string) {
  return z.string().superRefine((text, ctx) => {
    const fail = (message: string) => ctx.addIssue({ code: 'custom', message, input: text });
    const bytes = quantityValue(text);
    if (bytes === undefined) {
      const hint = suggestQuantity(text);
      return fail(`must be a Kubernetes quantity such as 10Gi or 500Mi, not ${JSON.stringify(text)}${hint ? `: write ${hint}` : ''}`);
    }
    if (!Number.isInteger(bytes)) return fail(`must be a whole number of bytes (got ${JSON.stringify(text)}); write e.g. 10Gi`);
    if (bytes > INT64_MAX) return fail(`must be at most 8Ei, the largest size Kubernetes stores (got ${JSON.stringify(text)})`);
    if (bytes < minGiB * GiB) return fail(`must be at least ${minGiB}Gi: ${why} (got ${JSON.stringify(text)})`);
  });
}
