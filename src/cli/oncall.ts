/** `tierdesk oncall who|shifts|plan`: the on-call arithmetic from the command line. */
import { CliError, InputError, instantArg, isoArg, one, type Args } from './args.js';
import type { Config } from '../config/config.js';
import { planPage } from '../domain/escalation-policy.js';
import { shifts, whoIsOnCall } from '../domain/oncall-schedule.js';

type Say = (text: string) => void;

function scheduleOf(args: Args, config: Config) {
  const name = one(args, 'schedule');
  const known = [...config.oncall.schedules.keys()].join(', ') || 'none';
  if (name === undefined) throw new CliError(`--schedule is required (known: ${known})`);
  const schedule = config.oncall.schedules.get(name);
  if (!schedule) throw new CliError(`unknown schedule "${name}" (known: ${known})`);
  return schedule;
}

export function oncallCommand(args: Args, config: Config, say: Say, complain: Say): number {
  try {
    const sub = args.rest[0];
    const json = args.flags.has('json');
    if (sub === 'who') {
      const who = whoIsOnCall(scheduleOf(args, config), instantArg(one(args, 'at'), 'at'));
      say(json ? JSON.stringify(who) : who.join('\n'));
      return 0;
    }
    if (sub === 'shifts') {
      const from = instantArg(one(args, 'from'), 'from');
      const to = instantArg(one(args, 'to'), 'to');
      if (to <= from) throw new InputError(`--to (${isoArg(to)}) must be after --from (${isoArg(from)})`);
      const list = shifts(scheduleOf(args, config), from, to).map((s) => ({ users: [...s.users], from: isoArg(s.from), to: isoArg(s.to) }));
      say(json ? JSON.stringify(list) : list.map((s) => `${s.from}  ${s.to}  ${s.users.join(',')}`).join('\n'));
      return 0;
    }
    if (sub === 'plan') {
      const name = one(args, 'policy');
      const known = [...config.oncall.policies.keys()].join(', ') || 'none';
      if (name === undefined) throw new CliError(`--policy is required (known: ${known})`);
      const policy = config.oncall.policies.get(name);
      if (!policy) throw new CliError(`unknown policy "${name}" (known: ${known})`);
      const plan = planPage(policy, config.oncall.schedules, instantArg(one(args, 'at'), 'at'));
      const rows = plan.map((p) => {
        const target =
          p.target.kind === 'schedule'
            ? `schedule ${p.target.schedule}`
            : p.target.kind === 'user'
              ? `user ${p.target.user}`
              : `channel ${p.target.tier}`;
        return {
          offsetMinutes: p.offsetMs / 60_000,
          at: isoArg(p.atMs),
          run: p.run + 1,
          step: p.step + 1,
          target,
          who: [...p.who],
          skipped: p.skipped,
        };
      });
      say(
        json
          ? JSON.stringify(rows)
          : rows
              .map(
                (r) =>
                  `+${r.offsetMinutes}m  ${r.at}  run ${r.run} step ${r.step}  ${r.target}  ${r.skipped ? '(nobody on call: skipped)' : r.who.join(',') || '(the channel)'}`,
              )
              .join('\n'),
      );
      return 0;
    }
    throw new CliError(`tierdesk oncall needs who, shifts or plan${sub ? `, not "${sub}"` : ''}`);
  } catch (err) {
    if (err instanceof CliError) return (complain(`tierdesk oncall: ${err.message}`), 2);
    // The domain refuses what it cannot list (more than ten years of shifts): input, not a crash.
    if (err instanceof InputError || err instanceof RangeError) return (complain(`tierdesk oncall: ${err.message}`), 1);
    throw err;
  }
}
