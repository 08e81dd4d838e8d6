import { describe, expect, it } from 'vitest';
import { ConfigError, loadConfig } from '../src/config/config.js';
import { createScratch, runCli } from './e2e/support.js';

function problems(yaml: string): string[] {
  try {
    loadConfig({ text: yaml, env: {} });
  } catch (err) {
    if (err instanceof ConfigError) return err.problems;
    throw err;
  }
  return [];
}

const TIERS = `tiers: [{ id: L1 }, { id: L3, hours: berlin }]\ncalendars: { berlin: { zone: Europe/Berlin, hours: 12x5 } }\n`;

describe('products in the configuration', () => {
  it('names every broken window, reference and unquoted version with its key path', () => {
    const found = problems(`${TIERS}
products:
  Acme:
    owner: L9
    unsupported: { route: L7 }
    versions:
      - { version: 2.0, released: 2020-13-01, end_of_support: 2030-01-01 }
      - { version: '3.0', released: 2024-01-01, end_of_support: 2023-01-01, end_of_extended_support: 2022-01-01 }
routing:
  - { product: Acme, from: '9.9', tier: L1 }
  - { from: '3.0', tier: L1 }
`);
    expect(found).toEqual(
      expect.arrayContaining([
        expect.stringMatching(/^products\.Acme\.owner: L9 is not a tier id/),
        expect.stringMatching(/^products\.Acme\.unsupported\.route: L7 is not a tier id/),
        expect.stringMatching(/^products\.Acme\.versions\[0\]\.version: .*quote it/),
        expect.stringMatching(/^products\.Acme\.versions\[0\]\.released: must be a date YYYY-MM-DD, not "2020-13-01"/),
        expect.stringMatching(/^products\.Acme\.versions\[1\]\.end_of_support: 2023-01-01 is before the release on 2024-01-01/),
        expect.stringMatching(/^products\.Acme\.versions\[1\]\.end_of_extended_support: 2022-01-01 is before the end of standard support/),
        expect.stringMatching(/^routing\[0\]\.from: 9\.9 is not a version of Acme/),
        expect.stringMatching(/^routing\[1\]\.from: a version range needs a product/),
      ]),
    );
  });

  it('reads dates in the owner tier’s zone by default, else UTC', () => {
    const config = loadConfig({
      text: `${TIERS}products:\n  Acme: { owner: L3, versions: [{ version: '1', released: 2020-01-01, end_of_support: 2030-01-01 }] }\n  Other: { versions: [{ version: '1', released: 2020-01-01, end_of_support: 2030-01-01 }] }\n`,
      env: {},
    });
    expect(config.products.map((p) => p.zone)).toEqual(['Europe/Berlin', 'UTC']);
  });

  it('`tierdesk products` prints the support windows', async () => {
    const scratch = createScratch();
    try {
      const file = scratch.file(
        'p.yaml',
        `tiers: [{ id: L1 }]\nproducts:\n  Acme: { versions: [{ version: '1.0', released: 2020-01-01, end_of_support: 2020-06-01 }] }\n`,
      );
      const out = await runCli(['products', '--config', file]);
      expect(out.code).toBe(0);
      expect(out.stdout).toBe('Support windows, soonest end first:\n  Acme 1.0: out of support since 2020-06-01\n');
    } finally {
      scratch.remove();
    }
  });
});
