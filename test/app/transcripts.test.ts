import { afterEach, describe, expect, it } from 'vitest';
import { renderHtml, renderText } from '../../src/capabilities/transcripts/render.js';
import type { Transcript } from '../../src/capabilities/transcripts/transcript.js';
import { createTestDesk, type TestDesk } from '../support/desk.js';

const YAML = (transcripts = 'transcripts: { console: transcripts, to_requester: true }') => `
people:
  agent1: { name: Agent One, console: agent1 }
  rita: { name: Rita Requester, console: rita }
  sam: { name: Sam Someone, console: sam }
tiers:
  - { id: L1, name: Help desk, agents: [agent1], channels: { console: l1-desk } }
csat: { enabled: false }
${transcripts}
`;

let desk: TestDesk;
afterEach(async () => {
  await desk?.close(); // the rendering tests build no desk
  desk = undefined as unknown as TestDesk;
});

const files = (channel: string) => desk.adapter.files.filter((f) => f.place.channel === channel);

/** Rita's printer ticket, worked with a reply, a note and her answer, then resolved. */
async function worked(yaml = YAML()): Promise<void> {
  desk = await createTestDesk({ yaml });
  await desk.say('rita', '/ticket new Printer on fire --description smoke from tray 2');
  await desk.say('agent1', '/ticket claim 1');
  await desk.say('agent1', '/ticket reply 1 Is it still smoking?');
  await desk.say('agent1', '/ticket note 1 vendor says known fuser fault');
  await desk.say('rita', '#1 yes, a little');
  await desk.say('agent1', '/ticket resolve 1 replaced the fuser');
}

describe('transcripts on close', () => {
  it('sends the agents their copy with notes and the requester theirs without, both as HTML files', async () => {
    await worked();
    expect(desk.adapter.files).toHaveLength(0); // resolved is not closed
    await desk.say('rita', '/ticket confirm 1');
    const [agents] = files('transcripts');
    const [mine] = files('dm:rita');
    expect(agents?.file.name).toBe('ticket-1-transcript.html');
    expect(agents?.file.mime).toBe('text/html; charset=utf-8');
    expect(agents?.card.title).toBe('📄 Transcript of #1: Printer on fire');
    const order = [
      'smoke from tray 2',
      'Is it still smoking?',
      'vendor says known fuser fault',
      'yes, a little',
      'replaced the fuser',
      'confirmed by the requester',
    ];
    const conversation = agents!.file.content.slice(agents!.file.content.indexOf('<ol>'));
    const positions = order.map((s) => conversation.indexOf(s));
    expect(positions.every((p, i) => p > 0 && (i === 0 || p > positions[i - 1]!))).toBe(true);
    expect(agents!.file.content).toContain('Agent One</div><div class="text">claimed it');
    expect(mine!.file.content).toContain('Is it still smoking?');
    expect(mine!.file.content).toContain('yes, a little');
    expect(mine!.file.content).not.toContain('vendor says known fuser fault');
    expect(mine!.file.content).not.toMatch(/impact|Assignee/);
  });

  it('sends them when the reopen window closes the ticket, and no requester copy unless asked for', async () => {
    await worked(YAML('transcripts: { console: transcripts }'));
    await desk.advance(7 * 86_400_000 + 1000);
    expect(files('transcripts')).toHaveLength(1);
    expect(files('transcripts')[0]!.file.content).toContain('the reopen window ended');
    expect(files('dm:rita')).toHaveLength(0);
  });

  it('posts a card pointing at /ticket transcript where the platform takes no files', async () => {
    await worked();
    Object.defineProperty(desk.adapter, 'upload', { value: undefined });
    await desk.say('rita', '/ticket confirm 1');
    expect(desk.channel('transcripts').join('\n')).toMatch(
      /Transcript of #1: Printer on fire\nThe transcript is ready: \/ticket transcript 1 shows it/,
    );
    expect(desk.dm('rita').join('\n')).toMatch(/\/ticket transcript 1 shows it/);
  });

  it('renders hostile titles and messages inert: escaped, no script, one end of document', async () => {
    desk = await createTestDesk({ yaml: YAML() });
    const hostile = `<script>alert(1)</script></html><img src=x onerror=alert(2)> **bold** [link](https://evil.example) <@U123> @everyone`;
    await desk.say('rita', `/ticket new ${hostile.slice(0, 150)} --description ${hostile}`);
    await desk.say('agent1', `/ticket reply 1 ${hostile}`);
    await desk.say('agent1', '/ticket resolve 1 done');
    await desk.say('rita', '/ticket confirm 1');
    const html = files('transcripts')[0]!.file.content;
    expect(html).not.toMatch(/<script|<img|<a /i); // onerror= survives only as text inside an escaped tag
    expect(html.match(/<\/html>/g)).toHaveLength(1);
    expect(html).toContain('&#60;script&#62;alert(1)&#60;/script&#62;&#60;/html&#62;');
    expect(html).toContain('**bold** [link](https://evil.example) &#60;@U123&#62;');
    expect(html).toContain(`content="default-src 'none'; style-src 'unsafe-inline'"`);
    expect(html).not.toMatch(/https?:\/\/(?!evil\.example\))/); // no remote resource, only the escaped user text
  });
});

describe('/ticket transcript N', () => {
  it('gives the requester the public conversation and agents the notes too, with the file in their DM', async () => {
    await worked();
    const hers = await desk.say('rita', '/ticket transcript 1');
    expect(hers).toMatch(/^Transcript of #1: Printer on fire\nYour copy of the conversation\./);
    expect(hers).toMatch(/\] Agent One:\n  Is it still smoking\?/);
    expect(hers).not.toContain('vendor says');
    const theirs = await desk.say('agent1', '/ticket transcript 1');
    expect(theirs).toMatch(/\] Agent One \(internal note\):\n  vendor says known fuser fault/);
    expect(files('dm:rita').map((f) => f.file.name)).toEqual(['ticket-1-transcript.html']);
    expect(files('dm:agent1')[0]!.file.content).toContain('vendor says');
  });

  it('refuses anyone else, and a ticket that does not exist', async () => {
    await worked();
    expect(await desk.say('sam', '/ticket transcript 1')).toMatch(/Ticket #1 is not yours/);
    expect(await desk.say('rita', '/ticket transcript 9')).toBe('There is no ticket #9.');
    expect(await desk.say('rita', '/ticket transcript')).toMatch(/Usage: \/ticket transcript <N>|ticket number/i);
    expect(files('dm:sam')).toHaveLength(0);
  });
});

describe('a huge transcript', () => {
  const huge: Transcript = {
    number: 7,
    title: 'Chatty',
    audience: 'agents',
    fields: [{ label: 'Ticket', value: '#7' }],
    entries: Array.from({ length: 5000 }, (_, i) => ({ at: 0, who: 'Rita', kind: 'message' as const, text: `message ${i} ${'é'.repeat(100)}` })),
    renderedAt: 0,
  };

  it('keeps its beginning and its end within the limit, and says what was left out', () => {
    for (const render of [renderHtml, renderText]) {
      const out = render(huge, 100_000);
      expect(Buffer.byteLength(out)).toBeLessThanOrEqual(100_000);
      expect(out).toContain('message 0 ');
      expect(out).toContain('message 4999 ');
      expect(out).toMatch(/\d+ entries left out here: the whole transcript would exceed 100,000 bytes/);
      expect(render(huge)).not.toContain('left out'); // under the 8 MiB file limit: whole
    }
  });
});

describe('the transcripts section', () => {
  it('names each wrong key in one line', async () => {
    desk = await createTestDesk({ yaml: YAML() });
    const { loadConfig } = await import('../../src/config/config.js');
    const load = (section: string) => () => loadConfig({ text: YAML(section), env: {} });
    expect(load('transcripts: { slak: C1, to_requester: yes }')).toThrow(/transcripts\.slak: unknown key.*did you mean `slack`\?/);
    expect(load('transcripts: { to_requester: yes }')).toThrow(/transcripts\.to_requester: must be true or false/);
  });
});
