import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { OLGA, SLACK_YAML, messageText, openTicket, startSlackDesk, type SlackDesk } from './support.js';

// The out-of-hours answer on Slack, in the requester's zone as their Slack profile gives it (users.info
// `tz`): L1 staffs 09:00-17:00 Berlin time on weekdays; Friday 7 June 2024 is a holiday there. Kenji's
// profile is in Tokyo, Olga's in UTC; neither has a zone in tierdesk.yaml.
const KENJI = 'U0KENJI';
const YAML = `${SLACK_YAML.replace('channels: { slack: C0L1DESK } }', 'channels: { slack: C0L1DESK }, hours: berlin-office }')}
calendars:
  berlin-office:
    zone: Europe/Berlin
    hours: { mon: ["09:00-17:00"], tue: ["09:00-17:00"], wed: ["09:00-17:00"], thu: ["09:00-17:00"], fri: ["09:00-17:00"] }
    holidays: ["2024-06-07"]
`;

let t: SlackDesk;
beforeEach(async () => {
  t = await startSlackDesk({ yaml: YAML, users: [{ id: KENJI, name: 'kenji', real_name: 'Kenji Tanaka', tz: 'Asia/Tokyo' }] });
  t.clock.set('2024-06-06T20:00:00Z'); // Thursday 22:00 in Berlin, Friday 05:00 in Tokyo
});
afterEach(async () => {
  await t.close();
});

/** The 🌙 answer posted in the requester's conversation of ticket `n`. */
function answerOf(n: number): string {
  const posted = t.slack.web.calls('chat.postMessage').map((c) => messageText(c.args));
  return posted.find((text) => text.includes(`🌙 #${n}`)) ?? '';
}

describe('the out-of-hours answer on Slack', () => {
  it('tells a requester whose Slack profile is in Tokyo the next opening in Tokyo time', async () => {
    expect(YAML).toContain('hours: berlin-office }'); // the replace above found its place
    const opened = await openTicket(t, 'VPN down', KENJI);
    // The desk opens Monday 10 June 09:00 in Berlin (Friday is a holiday): 16:00 in Tokyo.
    expect(answerOf(opened.number)).toContain('Someone will pick up #1 when it opens: Mon 10 Jun 2024, 16:00 (Asia/Tokyo).');
    expect(t.slack.web.calls('users.info').some((c) => c.args.user === KENJI)).toBe(true);
  });

  it('keeps each requester in their own zone', async () => {
    await openTicket(t, 'VPN down', KENJI);
    await openTicket(t, 'Mail down', OLGA); // her profile says UTC
    expect(answerOf(1)).toContain('(Asia/Tokyo)');
    expect(answerOf(2)).toContain('when it opens: Mon 10 Jun 2024, 07:00 (UTC).');
  });
});
