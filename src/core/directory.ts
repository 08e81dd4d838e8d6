import type { Config, PersonConfig, TierConfig } from '../config/config.js';
import type { Person, Place, Platform } from '../ports.js';
import { cleanLine } from '../domain/text.js';
import { versionInRange, type Product } from '../domain/support-window.js';

/** Who someone is to tierdesk: the platform identity, and the configured person behind it, if any. */
export interface Actor {
  person: Person;
  /** The `people` id, when the person is configured. */
  personId?: string;
  name: string;
}

/**
 * Answers identity and tier questions from config: which person is behind a platform id, who is an
 * agent of which tier, and where a tier's agents read their tickets.
 */
export class Directory {
  private readonly byPlatform = new Map<string, PersonConfig>();

  constructor(private readonly config: Config) {
    for (const p of config.people) {
      for (const platform of ['slack', 'discord', 'console'] as const) {
        const id = p[platform];
        if (id !== undefined) this.byPlatform.set(`${platform}:${id}`, p);
      }
      // The dashboard knows people by their configured id: a web person is always a configured one.
      this.byPlatform.set(`web:${p.id}`, p);
    }
  }

  /**
   * Are these the same person? The same platform identity, or two identities of one configured
   * person (ann on Slack and ann signed in to the dashboard): a ticket is its requester's everywhere.
   */
  samePerson(a: Person, b: Person): boolean {
    if (a.platform === b.platform && a.space === b.space && a.id === b.id) return true;
    const pa = this.byPlatform.get(`${a.platform}:${a.id}`);
    return pa !== undefined && pa === this.byPlatform.get(`${b.platform}:${b.id}`);
  }

  /** Every platform identity of a configured person (to find the tickets they raised anywhere). */
  identitiesOf(personId: string): Array<{ platform: Platform; id: string }> {
    const p = this.person(personId);
    if (!p) return [];
    const out: Array<{ platform: Platform; id: string }> = [
      { platform: 'web', id: p.id },
      { platform: 'console', id: p.console },
    ];
    if (p.slack !== undefined) out.push({ platform: 'slack', id: p.slack });
    if (p.discord !== undefined) out.push({ platform: 'discord', id: p.discord });
    return out;
  }

  /** Build the Actor for an inbound person. Platform display names are untrusted text. */
  actor(person: Person): Actor {
    const configured = this.byPlatform.get(`${person.platform}:${person.id}`);
    const name = configured?.name ?? (cleanLine(person.name).slice(0, 80) || person.id);
    const actor: Actor = { person: Object.assign({}, person, { name }), name }; // not `{ ...person, name }`: see card()
    if (configured) actor.personId = configured.id;
    return actor;
  }

  get people(): readonly PersonConfig[] {
    return this.config.people;
  }

  /** Is the person one of the tier's leads? */
  isLead(actor: Actor, tierId: string): boolean {
    return actor.personId !== undefined && (this.tier(tierId)?.leads.includes(actor.personId) ?? false);
  }

  /** Is the person a lead of some tier? Leads oversee the whole desk: they see every ticket. */
  isLeadOfAny(actor: Actor): boolean {
    return this.config.tiers.some((t) => this.isLead(actor, t.id));
  }

  person(id: string): PersonConfig | undefined {
    return this.config.people.find((p) => p.id === id);
  }

  /**
   * How an agent is recorded as an assignee: their people id, or `platform:id` for someone who is an
   * agent only through a Slack user group or Discord role.
   */
  agentId(actor: Actor): string {
    return actor.personId ?? `${actor.person.platform}:${actor.person.id}`;
  }

  nameOf(personId: string | null | undefined): string {
    if (!personId) return 'nobody';
    return this.person(personId)?.name ?? personId;
  }

  get tiers(): readonly TierConfig[] {
    return this.config.tiers;
  }

  /** A tier by id, case-insensitively (people type `l2`). */
  tier(id: string): TierConfig | undefined {
    const wanted = id.trim().toUpperCase();
    return this.config.tiers.find((t) => t.id.toUpperCase() === wanted);
  }

  /** The rung above `id`, or undefined at the top. */
  nextTier(id: string): TierConfig | undefined {
    const i = this.config.tiers.findIndex((t) => t.id === id);
    return i >= 0 ? this.config.tiers[i + 1] : undefined;
  }

  tierIndex(id: string): number {
    return this.config.tiers.findIndex((t) => t.id === id);
  }

  /** The tier a new ticket enters: the first routing rule for its category, else the first rung. */
  entryTier(category: string | undefined, product?: string, version?: string): TierConfig {
    const rule = this.config.routing.find((r) => {
      if (r.category !== undefined && r.category.toLowerCase() !== category?.toLowerCase()) return false;
      if (r.product === undefined) return true;
      if (r.product !== product) return false;
      if (r.from === undefined && r.to === undefined) return true;
      const p = this.config.products.find((x) => x.name === product);
      return p !== undefined && version !== undefined && versionInRange(p, version, r.from, r.to);
    });
    return (rule && this.tier(rule.tier)) ?? this.config.tiers[0]!;
  }

  /** The configured products and their support windows. */
  get products(): readonly Product[] {
    return this.config.products;
  }

  /** Is the person an agent of the tier: listed in its agents, or in its Slack user group / Discord role? */
  isAgentOf(actor: Actor, tierId: string): boolean {
    const tier = this.tier(tierId);
    return tier !== undefined && this.worksIn(actor, tier);
  }

  isAgent(actor: Actor): boolean {
    return this.config.tiers.some((t) => this.worksIn(actor, t));
  }

  /** The tiers this person works in, first rung first. */
  tiersOf(actor: Actor): TierConfig[] {
    return this.config.tiers.filter((t) => this.worksIn(actor, t));
  }

  private worksIn(actor: Actor, tier: TierConfig): boolean {
    if (actor.personId !== undefined && tier.agents.includes(actor.personId)) return true;
    const memberOf = actor.person.memberOf ?? [];
    if (actor.person.platform === 'slack' && tier.slackUsergroup !== undefined) return memberOf.includes(tier.slackUsergroup);
    if (actor.person.platform === 'discord' && tier.discordRole !== undefined) return memberOf.includes(tier.discordRole);
    return false;
  }

  /** Platform groups worth telling the core about: the tiers' and the customer groups' user groups / roles. */
  platformGroups(platform: 'slack' | 'discord'): string[] {
    const fromTiers = this.config.tiers.map((t) => (platform === 'slack' ? t.slackUsergroup : t.discordRole));
    const fromGroups = (this.config.sla?.groups ?? []).flatMap((g) => (platform === 'slack' ? g.slackUsergroups : g.discordRoles));
    return [...new Set([...fromTiers, ...fromGroups].filter((g): g is string => g !== undefined))];
  }

  /**
   * Where a tier's agents see cards for a ticket raised on `platform`: that platform's channel when
   * the tier has one there, else the tier's first configured channel.
   */
  agentChannel(tier: TierConfig, platform: Platform, space: string): Place {
    const own = tier.channels[platform];
    if (own !== undefined) return { platform, space, channel: own };
    for (const p of ['slack', 'discord', 'console'] as const) {
      const c = tier.channels[p];
      if (c !== undefined) return { platform: p, space: p === platform ? space : '', channel: c };
    }
    return { platform: 'console', space: 'local', channel: `${tier.id.toLowerCase()}-desk` };
  }

  /**
   * The first customer group (config `sla.groups`) the person belongs to: by people id, by
   * `platform:id`, or by a Slack user group / Discord role the adapter saw them in.
   */
  customerGroupOf(actor: Actor): string | undefined {
    const groups = this.config.sla?.groups ?? [];
    const platformId = `${actor.person.platform}:${actor.person.id}`;
    const memberOf = actor.person.memberOf ?? [];
    return groups.find(
      (g) =>
        (actor.personId !== undefined && g.people.includes(actor.personId)) ||
        g.ids.includes(platformId) ||
        (actor.person.platform === 'slack' && g.slackUsergroups.some((u) => memberOf.includes(u))) ||
        (actor.person.platform === 'discord' && g.discordRoles.some((r) => memberOf.includes(r))),
    )?.id;
  }

  /** The platform identity of a configured person on `platform`, to DM them. */
  personOn(personId: string, platform: Platform, space: string): Person | undefined {
    const prefixed = /^(slack|discord|console):(.+)$/.exec(personId);
    if (prefixed) return prefixed[1] === platform ? { platform, space, id: prefixed[2]!, name: prefixed[2]! } : undefined;
    const p = this.person(personId);
    // A webhook lane has no people.
    if (platform === 'webhook') return undefined;
    const id = platform === 'web' ? p?.id : p?.[platform];
    return p && id !== undefined ? { platform, space, id, name: p.name } : undefined;
  }
}
