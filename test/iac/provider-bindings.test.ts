// `npm run get`'s own check: .gen/ is exactly what cdktf generates from the mirrored provider of cdktf.json's version
// for the types the code imports (a changed provider version or a hand-edited binding is drift).
import { spawnSync } from 'node:child_process';
import { describe, expect, it } from 'vitest';

describe('the provider bindings in .gen/', () => {
  it('are what `npm run get` generates', () => {
    const run = spawnSync('npm', ['run', 'get', '--', '--check'], { encoding: 'utf8', timeout: 600_000 });
    expect(run.stderr).not.toMatch(/is not what `npm run get` generates/);
    expect(run.status).toBe(0);
    expect(run.stderr).toMatch(/Generated typescript constructs/);
  }, 600_000);
});
