// Quantities are written the way the API server stores them, so an identical apply has nothing to patch.
import { describe, expect, it } from 'vitest';
import { canonicalQuantity } from '../../../charts/quantity';

describe('canonicalQuantity', () => {
  it.each([
    ['1000m', '1'],
    ['2000m', '2'],
    ['1500m', '1500m'],
    ['250m', '250m'],
    ['0.5', '500m'],
    ['1.5', '1500m'],
    ['2000k', '2M'],
    ['10G', '10G'],
    ['0', '0'],
    ['0m', '0'],
  ])('writes the decimal quantity %s as %s', (input, expected) => {
    expect(canonicalQuantity(input)).toBe(expected);
  });

  it.each([
    ['1024Mi', '1Gi'],
    ['1536Mi', '1536Mi'],
    ['1Gi', '1Gi'],
    ['10Gi', '10Gi'],
    ['0.5Gi', '512Mi'],
    ['2048Ki', '2Mi'],
    // Below 1Ki, or not a whole number of bytes, the server switches to decimal.
    ['0.5Ki', '512'],
    ['1.5Ki', '1536'],
  ])('writes the binary quantity %s as %s', (input, expected) => {
    expect(canonicalQuantity(input)).toBe(expected);
  });

  it('leaves text it does not parse to the schema checks and the server', () => {
    expect(canonicalQuantity('1e3')).toBe('1e3');
    expect(canonicalQuantity('ten')).toBe('ten');
    expect(canonicalQuantity('1Xi')).toBe('1Xi');
    expect(canonicalQuantity('0.0000000001')).toBe('0.0000000001');
  });
});
