import Database from 'better-sqlite3';
import { describe, expect, it } from 'vitest';
import { EMPLOYEE, L1_DESK, SIGNING_SECRET, BOT_TOKEN, SLACK_YAML } from '../adapters/slack/support.js';
import { startFakeSlack } from '../fakes/slack-api/index.js';
import { LiveCli, createScratch } from './support.js';

// `tierdesk start` on Slack (HTTP mode) delivers from a worker thread: intake answers the command in
// its ack, the worker posts the card, and SIGTERM stops both, leaving no lease behind.

async function until(what: string, check: () => boolean, ms = 30_000): Promise<void> {
  const deadline = Date.now() + ms;
  while (!check()) {
    if (Date.now() > deadline) throw new Error(`timed out waiting until ${what}`);
    await new Promise((resolve) => setTimeout(resolve, 10));
  }
}

type LogLine = { level: string; msg: string } & Record<string, unknown>;
const logLines = (stderr: string): LogLine[] =>
  stderr
    .split('\n')
    .filter((l) => l.startsWith('{'))
    .map((l) => JSON.parse(l) as LogLine);

describe('delivery off the intake thread', () => {
  it('a slash command is answered in its ack, its card posted by the delivery worker; SIGTERM leaves no lease', async ({ onTestFinished }) => {
    const slack = await startFakeSlack({
      botToken: BOT_TOKEN,
      signingSecret: SIGNING_SECRET,
      users: [{ id: EMPLOYEE, name: 'erin' }],
      usergroups: { S0DESK: [] },
    });
    onTestFinished(() => slack.stop());
    const scratch = createScratch();
    onTestFinished(() => scratch.remove());
    const cli = new LiveCli(['start'], {
      env: {
        DATABASE_URL: scratch.databaseUrl,
        TIERDESK_CONFIG: scratch.file('tierdesk.yaml', SLACK_YAML),
        PORT: '0',
        TIERDESK_OPS_PORT: '0',
        SLACK_BOT_TOKEN: BOT_TOKEN,
        SLACK_SIGNING_SECRET: SIGNING_SECRET,
        SLACK_API_URL: slack.apiUrl,
        SLACK_APP_TOKEN: undefined,
        DISCORD_TOKEN: undefined,
      },
      onTestFinished,
    });
    let url: string | undefined;
    await until(
      'the Slack receiver listens',
      () => (url = logLines(cli.stderr).find((l) => l.msg === 'adapter started')?.url as string) !== undefined,
    );

    const sent = await slack
      .sender(url!)
      .slashCommand({ command: '/ticket', text: 'new Printer on fire', user_id: EMPLOYEE, channel_id: 'C0RANDOM' });
    expect(sent.json).toEqual({ response_type: 'ephemeral', text: expect.stringMatching(/^Ticket #1 opened/) });
    const card = await slack.web.waitForCall('chat.postMessage', (c) => c.args.channel === L1_DESK);
    expect(JSON.stringify(card.args)).toContain('Printer on fire');

    // The worker's delivery latencies reach the intake thread's /metrics.
    const ops = logLines(cli.stderr).find((l) => l.msg === 'health and metrics')?.url as string;
    let metrics = '';
    for (let i = 0; i < 500 && !/tierdesk_delivery_latency_seconds_count\{platform="slack"\} [1-9]/.test(metrics); i++)
      metrics = await (await fetch(`${ops}/metrics`)).text();
    expect(metrics).toMatch(/tierdesk_delivery_latency_seconds_count\{platform="slack"\} [1-9]/);

    cli.child.kill('SIGTERM');
    const result = await cli.closed;
    expect(result).toMatchObject({ code: 0, signal: null });
    expect(logLines(result.stderr).filter((l) => l.level === 'error' || l.level === 'warn')).toEqual([]);
    const db = new Database(scratch.databaseUrl, { readonly: true });
    try {
      expect(db.prepare("select count(*) as n from outbox where lease_until is not null or status != 'sent'").get()).toEqual({ n: 0 });
    } finally {
      db.close();
    }
  });
});
