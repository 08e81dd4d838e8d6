import { UserError } from '../domain/errors.js';

/** A sub-command line split into words and flags. */
export interface ParsedLine {
  /** Words before (and between) flags, in order. */
  words: string[];
  flags: Record<string, string | true>;
  /**
   * Free text given apart from the line (a form field, a Discord option): used verbatim, line
   * breaks and `--` included, instead of the words after the ticket number.
   */
  text?: string;
}

/**
 * Parse `claim 12 --force` or `new Printer on fire --urgency high --description it smells`.
 * A value flag takes every word up to the next `--flag`, so multi-word values need no quotes;
 * `--name=value` also works. Boolean flags take nothing. Unknown flags are refused by name.
 */
export function parseLine(text: string, spec: { values: readonly string[]; booleans: readonly string[] }): ParsedLine {
  const tokens = text.trim().split(/\s+/).filter(Boolean);
  const out: ParsedLine = { words: [], flags: {} };
  let current: string | undefined;
  let buffer: string[] = [];
  const flush = () => {
    if (current === undefined) return;
    const value = unquote(buffer.join(' '));
    if (value === '') throw new UserError('flag_without_value', `--${current} needs a value.`);
    out.flags[current] = value;
    current = undefined;
    buffer = [];
  };
  for (const token of tokens) {
    const m = /^--([a-z][a-z-]*)(?:=(.*))?$/i.exec(token);
    if (m) {
      flush();
      const name = m[1]!.toLowerCase();
      if (spec.booleans.includes(name)) {
        if (m[2] !== undefined) throw new UserError('flag_takes_no_value', `--${name} takes no value.`);
        out.flags[name] = true;
      } else if (spec.values.includes(name)) {
        if (name in out.flags) throw new UserError('flag_repeated', `--${name} is given twice.`);
        current = name;
        if (m[2] !== undefined) buffer.push(m[2]);
      } else {
        const known = [...spec.values, ...spec.booleans].map((f) => `--${f}`);
        throw new UserError('unknown_flag', `Unknown option --${name}.${known.length > 0 ? ` Options here: ${known.join(', ')}.` : ''}`);
      }
    } else if (current !== undefined) buffer.push(token);
    else out.words.push(token);
  }
  flush();
  return out;
}

function unquote(s: string): string {
  const t = s.trim();
  return t.length >= 2 && ((t.startsWith('"') && t.endsWith('"')) || (t.startsWith('“') && t.endsWith('”'))) ? t.slice(1, -1).trim() : t;
}
