import { createTestDesk } from '../support/desk.js';
import { CONTRACT_YAML } from './config.js';
import { pageStatus, ticketOutcome, type DeskDriver, type OnCallDriver } from './driver.js';
import type { TestDesk } from '../support/desk.js';

/**
 * The console: people type lines (`ann: /ticket claim 1`), the requester writes `#1 text`, and the
 * recording adapter keeps every message and each of its versions. Agents' channels are `l1-desk`
 * and `l2-desk`; the requester's conversation is their DM, `dm:requester`.
 */
export async function startConsoleDriver(): Promise<DeskDriver> {
  const desk = await createTestDesk({ yaml: CONTRACT_YAML });
  const seen = (channel: string) =>
    desk.adapter.messages.filter((m) => m.place.channel === channel).flatMap((m) => m.versions.map((v) => v.fallback));
  return {
    platform: 'console',
    requesterName: 'requester',
    async open(title, urgency) {
      const answer = await desk.say('requester', `/ticket new ${title} --urgency ${urgency}`);
      const number = Number(/#(\d+) opened/.exec(answer ?? '')?.[1]);
      if (!Number.isInteger(number)) throw new Error(`no ticket opened: ${answer}`);
      return number;
    },
    claim: (agent, n) => desk.say(agent, `/ticket claim ${n}`),
    replyPublic: (agent, n, text) => desk.say(agent, `/ticket reply ${n} ${text}`),
    note: (agent, n, text) => desk.say(agent, `/ticket note ${n} ${text}`),
    requesterWrites: (n, text) => desk.say('requester', `#${n} ${text}`),
    escalate: (agent, n, reason) => desk.say(agent, `/ticket escalate ${n} ${reason}`),
    resolve: (agent, n, text) => desk.say(agent, `/ticket resolve ${n} ${text}`),
    confirm: (n) => desk.say('requester', `/ticket confirm ${n}`),
    requesterSaw: () => seen('dm:requester'),
    agentsSaw: (tier) => seen(`${tier.toLowerCase()}-desk`),
    ticket: (n) => ticketOutcome(desk.db, n),
    oncall: consoleOnCall(desk),
    close: () => desk.close(),
  };
}

/**
 * On call in the console: `/oncall` and `/ticket page N` typed; the page reaches the on-call agent as a DM
 * whose Acknowledge button the console prints as its typed twin (`[Acknowledge] /ticket ack N`), which
 * the agent types.
 */
function consoleOnCall(desk: TestDesk): OnCallDriver {
  return {
    whoIsOnCall: (agent) => desk.say(agent, '/oncall'),
    page: (agent, n) => desk.say(agent, `/ticket page ${n}`),
    async acknowledge(agent, n) {
      const page = desk.dm(agent).findLast((text) => text.includes(`Page: #${n}`));
      if (!page) throw new Error(`no page for #${n} reached ${agent} by DM`);
      const typed = /\[Acknowledge\] (\/\S.*?)(?: {2}\[|$)/m.exec(page)?.[1];
      if (!typed) throw new Error(`the page for #${n} offers no Acknowledge: ${page}`);
      return desk.say(agent, typed);
    },
    pageStatus: (n) => pageStatus(desk.db, n),
  };
}
