import { afterEach, describe, expect, it } from 'vitest';
import { armEndOfSupportCheck } from '../../src/capabilities/products/warnings.js';
import { supportWindowsText } from '../../src/capabilities/products/windows.js';
import type { Reply } from '../../src/ports.js';
import { createTestDesk, type TestDesk } from '../support/desk.js';

const DAY = 86_400_000;

// The clock starts on Monday 2024-06-03 09:00 UTC: Acme 2.0's standard support ends 90 days later.
const YAML = `
people:
  agent1: { name: Agent One, console: agent1 }
  bob: { name: Bob Backline, console: bob }
  sam: { name: Sam Specialist, console: sam }
  rita: { name: Rita Requester, console: rita, slack: URITA }
tiers:
  - { id: L1, name: Help desk, agents: [agent1], channels: { console: l1-desk, slack: CL1 } }
  - { id: L2, name: Second level, agents: [bob], channels: { console: l2-desk } }
  - { id: L3, name: Specialists, agents: [sam], channels: { console: l3-desk } }
routing:
  - { product: Widget, from: '6', tier: L2 }
products:
  Acme Server:
    aliases: [acme]
    owner: L3
    zone: Europe/Berlin
    unsupported: { route: L3 }
    versions:
      - { version: '1.0', released: 2019-01-01, end_of_support: 2022-01-01 }
      - { version: '1.4', released: 2021-01-01, end_of_support: 2024-03-01, end_of_extended_support: 2025-03-01 }
      - { version: '2.0', released: 2023-06-01, end_of_support: 2024-09-01, lts: true }
      - { version: '3.0', released: 2024-05-01, end_of_support: 2027-05-01 }
  Widget:
    unsupported: refuse
    versions:
      - { version: '5', released: 2018-01-01, end_of_support: 2020-01-01 }
      - { version: '6', released: 2020-01-01, end_of_support: 2030-01-01 }
`;

let desk: TestDesk;
afterEach(async () => {
  await desk.close();
});

const card = (channel: string, n: number) => desk.channel(channel).find((m) => m.startsWith(`🎫 #${n} `)) ?? '';

describe('products and versions at intake', () => {
  it('accepts a product by name or alias, and answers an unknown product or version with "did you mean"', async () => {
    desk = await createTestDesk({ yaml: YAML });
    expect(await desk.say('rita', '/ticket new Crash on boot --product acme --version 3.0')).toMatch(/Ticket #1 opened/);
    expect(card('l1-desk', 1)).toMatch(/Product: Acme Server 3\.0(?! ⚠)/);
    expect(await desk.say('rita', '/ticket new Crash --product acmee server --version 3.0')).toMatch(
      /"acmee server" is not a product we support; did you mean Acme Server\? Products: Acme Server, Widget\./,
    );
    expect(await desk.say('rita', '/ticket new Crash --product Acme --version 3.1')).toMatch(
      /Acme Server has no version "3\.1"; did you mean 3\.0\? Versions: 1\.0, 1\.4, 2\.0, 3\.0\./,
    );
    expect(await desk.say('rita', '/ticket show 2')).toMatch(/no ticket #2|not found|There is no/i);
  });

  it('flags a version past its end of support on the card and tells the requester when it ended and where to move', async () => {
    desk = await createTestDesk({ yaml: YAML });
    await desk.say('rita', '/ticket new Slow sync --product Acme Server --version 1.4');
    expect(card('l1-desk', 1)).toContain('Product: Acme Server 1.4 ⚠ past end of support (2024-03-01; extended support until 2025-03-01)');
    expect(desk.dm('rita').join('\n')).toMatch(
      /Acme Server 1\.4 reached the end of its standard support on 2024-03-01; it has extended support until 2025-03-01\.[\s\S]*Supported versions you can move to: 2\.0 \(LTS\) until 2024-09-01, 3\.0 until 2027-05-01\./,
    );
    expect(await desk.say('agent1', '/ticket history 1')).toMatch(/version_unsupported/);
  });

  it('applies the product policy past extended support: routed to its tier, or refused with the versions to move to', async () => {
    desk = await createTestDesk({ yaml: YAML });
    expect(await desk.say('rita', '/ticket new Old box --product acme --version 1.0')).toMatch(/Ticket #1 opened \(P3, Specialists\)/);
    expect(card('l3-desk', 1)).toContain('Product: Acme Server 1.0 ⛔ out of support (support ended 2022-01-01)');
    expect(card('l1-desk', 1)).toBe('');
    expect(desk.dm('rita').join('\n')).toMatch(
      /Acme Server 1\.0 is out of support: its support ended on 2022-01-01\.[\s\S]*\(it went to Specialists\)/,
    );
    expect(await desk.say('rita', '/ticket new Old widget --product Widget --version 5')).toBe(
      'Widget 5 is no longer supported: its support ended on 2020-01-01. Supported versions you can move to: 6 until 2030-01-01.',
    );
    expect(await desk.say('rita', '/ticket show 2')).not.toMatch(/Old widget/);
  });

  it('routes by product and version range', async () => {
    desk = await createTestDesk({ yaml: YAML });
    expect(await desk.say('rita', '/ticket new Widget jam --product widget --version 6')).toMatch(/\(P3, Second level\)/);
    expect(await desk.say('rita', '/ticket new No version --product widget')).toMatch(/\(P3, Help desk\)/);
  });

  it('offers the configured products and versions as the form’s choices, and reads a chosen "Product Version"', async () => {
    desk = await createTestDesk({ yaml: YAML });
    const base = { at: desk.clock.now(), from: { platform: 'slack' as const, space: 'T1', id: 'URITA', name: 'rita' } };
    const place = { platform: 'slack' as const, space: 'T1', channel: 'DRITA' };
    const shown = (await desk.desk.handle({ ...base, key: 'f1', place, kind: 'command', name: 'ticket', text: '' })) as Reply;
    const product = shown.form?.fields.find((f) => f.name === 'product');
    expect(product?.choices?.map((c) => c.value)).toEqual(['Acme Server 1.4', 'Acme Server 2.0', 'Acme Server 3.0', 'Widget 6']);
    const args = {
      ...shown.form!.submit.args,
      title: 'Sync stuck',
      description: '',
      urgency: 'medium',
      impact: 'medium',
      product: 'Acme Server 2.0',
    };
    const done = (await desk.desk.handle({ ...base, key: 'f2', place, kind: 'command', name: 'ticket', args })) as Reply;
    expect(done.text).toMatch(/Ticket #1 opened/);
    expect(await desk.say('agent1', '/ticket show 1')).toContain('Product: Acme Server 2.0');
  });
});

describe('support windows over time', () => {
  it('lists the support windows, the soonest end first, out-of-support versions last', async () => {
    desk = await createTestDesk({ yaml: YAML });
    const text = await desk.say('rita', '/products');
    expect(text).toBe(supportWindowsText(desk.config, desk.clock.now()));
    expect(text?.split('\n')).toEqual([
      'Support windows, soonest end first:',
      '  Acme Server 2.0 LTS: supported until 2024-09-01 (90 days left) [Europe/Berlin]',
      '  Acme Server 1.4: extended support until 2025-03-01 (standard support ended 2024-03-01) (271 days left) [Europe/Berlin]',
      '  Acme Server 3.0: supported until 2027-05-01 (1062 days left) [Europe/Berlin]',
      '  Widget 6: supported until 2030-01-01 (2038 days left)',
      '  Acme Server 1.0: out of support since 2022-01-01 [Europe/Berlin]',
      '  Widget 5: out of support since 2020-01-01',
    ]);
  });

  it('warns the owner tier 90 and 30 days before a version’s end of support, once each, and flags tickets once it ended', async () => {
    desk = await createTestDesk({ yaml: YAML });
    await armEndOfSupportCheck(desk.desk.core);
    await desk.advance(1000);
    const warnings = () => desk.channel('l3-desk').filter((m) => m.startsWith('⏳'));
    expect(warnings()).toEqual([expect.stringMatching(/^⏳ Acme Server 2\.0: standard support ends in 90 days, on 2024-09-01/)]);
    for (let day = 0; day < 59; day++) await desk.advance(DAY);
    expect(warnings()).toHaveLength(1);
    await desk.advance(DAY); // 2024-08-02 09:00 UTC: 30 days left in Berlin
    expect(warnings()[1]).toMatch(/^⏳ Acme Server 2\.0: standard support ends in 30 days, on 2024-09-01/);
    for (let day = 0; day < 31; day++) await desk.advance(DAY); // past 2024-09-01 in Berlin
    expect(warnings()).toHaveLength(2);
    // Past its support with no extended support, the product's policy applies: it goes to the specialists.
    await desk.say('rita', '/ticket new Still on two --product acme --version 2.0');
    expect(card('l3-desk', 1)).toContain('Acme Server 2.0 ⛔ out of support (support ended 2024-09-01)');
  });

  it('catches up a missed warning once, with the days that are left', async () => {
    desk = await createTestDesk({ yaml: YAML, now: '2024-08-10T12:00:00Z' });
    await armEndOfSupportCheck(desk.desk.core);
    await desk.advance(1000);
    await armEndOfSupportCheck(desk.desk.core); // a restart checks again, and warns nothing twice
    await desk.advance(1000);
    expect(desk.channel('l3-desk').filter((m) => m.startsWith('⏳'))).toEqual([
      expect.stringMatching(/^⏳ Acme Server 2\.0: standard support ends in 22 days, on 2024-09-01/),
    ]);
  });

  it('counts tickets by product and version in /ticket stats', async () => {
    desk = await createTestDesk({ yaml: YAML });
    await desk.say('rita', '/ticket new A --product acme --version 3.0');
    await desk.say('rita', '/ticket new B --product acme --version 3.0');
    await desk.say('rita', '/ticket new C');
    await desk.say('agent1', '/ticket resolve 2 done');
    expect(await desk.say('agent1', '/ticket stats')).toMatch(
      /Tickets by product and version: opened \(still open\)\n {2}Acme Server 3\.0: 2 \(1\)\n {2}no product: 1 \(1\)/,
    );
  });
});
