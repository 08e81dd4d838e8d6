/** Who a Slack user is to the core (name, user groups) and where a message lives (its permalink), cached. */
import type { App } from '@slack/bolt';
import type { Person } from '../../src/ports.js';
import type { SlackAdapterOptions } from './options.js';

type SlackUserInfo = { user?: { real_name?: string; name?: string; tz?: string; profile?: { display_name?: string; real_name?: string } } };

export interface SlackPeople {
  person(team: string, user: string, nameHint?: string): Promise<Person>;
  /**
   * Who a user is as far as known without asking Slack (cached name and zone, else the hint; no
   * groups): for a request queued under load, whose acknowledgement must not wait for Slack. The
   * request is completed with `person` before it runs (Intake.restoreWith).
   */
  personNow(team: string, user: string, nameHint?: string): Person;
  permalink(channel: string, ts: string, thread?: string): Promise<string | undefined>;
  /** A group's members changed (a grant): the cache follows. */
  grouped(group: string, users: string[]): void;
}

export function slackPeople(client: App['client'], options: Pick<SlackAdapterOptions, 'now' | 'platformGroups' | 'logger'>): SlackPeople {
  const names = new Map<string, { name: string; zone?: string; at: number }>();
  const groups = userGroups(client, options);
  let workspaceUrl: Promise<string | undefined> | undefined;

  /** `https://team.slack.com/`, asked of Slack once (`auth.test`); undefined when it cannot be. */
  function teamUrl(): Promise<string | undefined> {
    workspaceUrl ??= (client.auth.test() as Promise<{ url?: string }>).then(
      (r) => (r.url && /^https:\/\/[^\s/]+\/$/.test(r.url) ? r.url : undefined),
      () => {
        workspaceUrl = undefined; // ask again next time
        return undefined;
      },
    );
    return workspaceUrl;
  }

  /** A message's permalink: built from the workspace URL as Slack builds it, else asked of Slack. */
  async function permalink(channel: string, ts: string, thread?: string): Promise<string | undefined> {
    const url = await teamUrl();
    if (url && /^\d+\.\d+$/.test(ts) && /^[A-Z0-9]+$/.test(channel)) {
      const reply = thread && thread !== ts ? `?thread_ts=${thread}&cid=${channel}` : '';
      return `${url}archives/${channel}/p${ts.replace('.', '')}${reply}`;
    }
    try {
      return ((await client.chat.getPermalink({ channel, message_ts: ts })) as { permalink?: string }).permalink;
    } catch {
      return undefined;
    }
  }

  const profileOf = profiles(client);

  /** A person as the core sees them: name and time zone (cached users.info) and the user groups it cares about. */
  async function person(team: string, user: string, nameHint?: string): Promise<Person> {
    // The display name people know each other by and their profile's zone (cached); the handle a
    // slash command carries only when Slack cannot be asked.
    const now = options.now();
    const cached = names.get(user);
    let known = cached && now - cached.at < 600_000 ? cached : undefined;
    if (!known) {
      const { name, zone } = await profileOf(user);
      known = { name: name || nameHint || user, ...(zone ? { zone } : {}), at: now };
      names.set(user, known);
    }
    const memberOf = await groups.of(user);
    return {
      platform: 'slack',
      space: team,
      id: user,
      name: known.name,
      ...(known.zone ? { zone: known.zone } : {}),
      ...(memberOf.length > 0 ? { memberOf } : {}),
    };
  }

  function personNow(team: string, user: string, nameHint?: string): Person {
    const known = names.get(user);
    const name = known?.name ?? nameHint ?? user;
    return { platform: 'slack', space: team, id: user, name, ...(known?.zone ? { zone: known.zone } : {}) };
  }

  return {
    person,
    personNow,
    permalink,
    grouped: (group, users) => groups.grouped(group, users),
  };
}

/** users.info asked once per user at a time: a burst from one person waits for one answer. */
function profiles(client: App['client']): (user: string) => Promise<{ name?: string; zone?: string }> {
  const asking = new Map<string, Promise<{ name?: string; zone?: string }>>();
  return (user) => {
    let answer = asking.get(user);
    if (!answer) {
      answer = (client.users.info({ user }) as Promise<SlackUserInfo>).then(
        (info) => ({
          name: info.user?.profile?.display_name || info.user?.real_name || info.user?.profile?.real_name || info.user?.name,
          zone: info.user?.tz || undefined,
        }),
        () => ({}),
      );
      asking.set(user, answer);
      void answer.finally(() => asking.delete(user));
    }
    return answer;
  };
}

/** The configured user groups' members (asked of Slack at most every 5 minutes), and which a user is in. */
function userGroups(client: App['client'], options: Pick<SlackAdapterOptions, 'now' | 'platformGroups' | 'logger'>) {
  let groups: { at: number; members: Map<string, string[]> } | undefined;
  /** The refresh under way: a burst of requests waits for one round of usergroups.users.list. */
  let refreshing: Promise<void> | undefined;
  async function refresh(now: number): Promise<void> {
    const members = new Map<string, string[]>();
    for (const g of options.platformGroups) {
      try {
        const r = (await client.usergroups.users.list({ usergroup: g })) as { users?: string[] };
        members.set(g, r.users ?? []);
      } catch (err) {
        options.logger.warn('cannot read a Slack user group', { usergroup: g, error: (err as Error).message });
        members.set(g, groups?.members.get(g) ?? []);
      }
    }
    groups = { at: now, members };
  }
  async function of(user: string): Promise<string[]> {
    if (options.platformGroups.length === 0) return [];
    const now = options.now();
    if (!groups || now - groups.at > 300_000) {
      refreshing ??= refresh(now).finally(() => (refreshing = undefined));
      await refreshing;
    }
    return [...groups!.members.entries()].filter(([, users]) => users.includes(user)).map(([g]) => g);
  }

  return {
    of,
    grouped(group: string, users: string[]) {
      if (groups?.members.has(group)) groups.members.set(group, users);
    },
  };
}
