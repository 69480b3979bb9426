// dockerfileArg: the default of an ARG line, and an error naming the file and the line it lacks.
import { describe, expect, it } from 'vitest';
import { dockerfileArg } from '../../../testbed/dockerfile-arg';

const dockerfile = ['ARG KAFKA_RELEASE=4.4.0', 'ARG UNSET', 'FROM scratch', 'ARG KAFKA_RELEASE', '  ARG INDENTED=1'].join('\n');

describe('dockerfileArg', () => {
  it('reads the default of an ARG line, not a later redeclaration without one', () => {
    expect(dockerfileArg(dockerfile, 'KAFKA_RELEASE', 'apps/kafka/Dockerfile')).toBe('4.4.0');
  });

  it('names the file and the missing line when the ARG has no default or is not at the start of a line', () => {
    expect(() => dockerfileArg(dockerfile, 'UNSET', 'apps/x/Dockerfile')).toThrow('apps/x/Dockerfile: no "ARG UNSET=<value>" line');
    expect(() => dockerfileArg(dockerfile, 'INDENTED', 'apps/x/Dockerfile')).toThrow('no "ARG INDENTED=<value>" line');
    expect(() => dockerfileArg(dockerfile, 'KAFKA', 'apps/x/Dockerfile')).toThrow('no "ARG KAFKA=<value>" line');
  });
});
