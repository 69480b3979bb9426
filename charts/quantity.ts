// Resource quantities in the canonical form the API server stores, so an identical apply never re-patches them.
import { k8s } from 'cdk8s-plus-29';

const DECIMAL_SUFFIXES: Record<string, number> = { n: -9, u: -6, m: -3, '': 0, k: 3, M: 6, G: 9, T: 12, P: 15, E: 18 };
const BINARY_SUFFIXES: Record<string, number> = { Ki: 10, Mi: 20, Gi: 30, Ti: 40, Pi: 50, Ei: 60 };

/**
 * The form Kubernetes stores a quantity in (`1000m` → `1`, `2048Mi` → `2Gi`, `1536Mi` stays): binary suffixes
 * stay binary while the value is a whole number of bytes of at least 1Ki, and otherwise the largest suffix that
 * keeps the number whole is used. Text that is not a plain quantity (exponent forms, more precision than a
 * nano-unit) is returned unchanged: the schema checks and the server judge it.
 */
export function canonicalQuantity(text: string): string {
  const match = /^([+-]?)(\d+)(?:\.(\d*))?([a-zA-Z]*)$/.exec(text);
  if (!match) return text;
  const [, sign, whole, fraction = '', suffix = ''] = match;
  const decimalExponent = DECIMAL_SUFFIXES[suffix];
  const binaryExponent = BINARY_SUFFIXES[suffix];
  if ((decimalExponent === undefined && binaryExponent === undefined) || fraction.length > 9) return text;
  const negative = sign === '-';
  // The value as an exact integer number of nano-units.
  let nanos = BigInt(whole + fraction) * 10n ** BigInt(9 - fraction.length);
  if (decimalExponent !== undefined) {
    if (decimalExponent < 0) {
      const divisor = 10n ** BigInt(-decimalExponent);
      if (nanos % divisor !== 0n) return text;
      nanos /= divisor;
    } else nanos *= 10n ** BigInt(decimalExponent);
  } else nanos *= 2n ** BigInt(binaryExponent!);
  if (nanos === 0n) return '0';
  const units = 1_000_000_000n;
  if (binaryExponent !== undefined && nanos % units === 0n && nanos / units >= 1024n) {
    let value = nanos / units;
    let exponent = 0;
    while (exponent < 60 && value % 1024n === 0n) {
      value /= 1024n;
      exponent += 10;
    }
    const name = Object.entries(BINARY_SUFFIXES).find(([, e]) => e === exponent)?.[0] ?? '';
    return `${negative ? '-' : ''}${value}${name}`;
  }
  let value = nanos;
  let exponent = -9;
  while (exponent < 18 && value % 1000n === 0n) {
    value /= 1000n;
    exponent += 3;
  }
  const name = Object.entries(DECIMAL_SUFFIXES).find(([, e]) => e === exponent)?.[0] ?? '';
  return `${negative ? '-' : ''}${value}${name}`;
}

/** A cdk8s Quantity in canonical form. */
export function quantity(text: string): k8s.Quantity {
  return k8s.Quantity.fromString(canonicalQuantity(text));
}
