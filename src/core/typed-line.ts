import { UserError } from '../domain/errors.js';
import type { ArgSpec } from './capability.js';

/** Options whose value is one word: the words after it belong to the free text again. */
const ONE_WORD = new Set(['number', 'integer', 'word', 'choice', 'tier']);

interface Span {
  start: number;
  end: number;
}

/**
 * Parse what someone typed after a sub-command against its declared arguments:
 * `12 try git push --force-with-lease instead` for `reply <N> <text>` gives `{ number: '12', text:
 * 'try git push --force-with-lease instead' }`. Only options the sub-command declares are options;
 * any other `--word` is a word of the free text. Free text is kept exactly as written (line breaks
 * and spacing included): a text option's value runs to the next declared option, and words after a
 * one-word option's value (`--to L3`) go back to the free text.
 */
export function parseTypedArgs(text: string, specs: readonly ArgSpec[], usage: string): Record<string, string> {
  const tokens = [...text.matchAll(/\S+/g)].map((m) => ({ word: m[0], start: m.index, end: m.index + m[0].length }));
  const positional = specs.filter((s) => s.positional);
  const options = new Map(specs.filter((s) => !s.positional).map((s) => [s.name, s]));
  const out: Record<string, string> = {};
  const spans = new Map<string, Span[]>();
  const seen = new Set<string>();
  const lastToken = new Map<string, number>();
  // Words that follow each other in one argument keep the text between them as written.
  const addSpan = (name: string, span: Span, index: number) => {
    const list = spans.get(name) ?? [];
    const last = list[list.length - 1];
    if (last && lastToken.get(name) === index - 1) last.end = span.end;
    else list.push(span);
    spans.set(name, list);
    lastToken.set(name, index);
  };
  let next = 0; // the next positional argument to fill
  let sink: string | undefined; // the text argument words go to now
  let freeText: string | undefined; // the positional text argument, once reached
  for (let i = 0; i < tokens.length; i++) {
    const t = tokens[i]!;
    const opt = optionOf(t.word, options);
    if (opt) {
      const { spec, inline } = opt;
      if (spec.kind === 'boolean') {
        if (inline !== undefined) throw new UserError('flag_takes_no_value', `--${spec.name} takes no value.`, spec.name);
        out[spec.name] = 'true';
        sink = freeText;
        continue;
      }
      if (seen.has(spec.name)) throw new UserError('flag_repeated', `--${spec.name} is given twice.`, spec.name);
      seen.add(spec.name);
      if (ONE_WORD.has(spec.kind)) {
        const value = inline ?? tokens[i + 1]?.word;
        if (value === undefined || value === '' || (inline === undefined && optionOf(value, options)))
          throw new UserError('flag_without_value', `--${spec.name} needs a value. Usage: ${usage}`, spec.name);
        if (inline === undefined) i++;
        out[spec.name] = value;
        sink = freeText;
        continue;
      }
      sink = spec.name;
      if (inline !== undefined && inline !== '') addSpan(spec.name, { start: t.end - inline.length, end: t.end }, i);
      continue;
    }
    if (sink !== undefined) {
      addSpan(sink, { start: t.start, end: t.end }, i);
      continue;
    }
    const spec = positional[next];
    if (spec === undefined) throw new UserError('extra_words', `"${clip(t.word)}" is more than this command takes. Usage: ${usage}`);
    if (spec.kind === 'text') {
      sink = freeText = spec.name;
      next++;
      addSpan(spec.name, { start: t.start, end: t.end }, i);
      continue;
    }
    out[spec.name] = t.word;
    next++;
  }
  for (const [name, list] of spans) {
    const spec = options.get(name);
    const value = list.map((s) => text.slice(s.start, s.end)).join(' ');
    out[name] = spec ? unquote(value) : value;
  }
  for (const name of seen) {
    if (!(name in out)) throw new UserError('flag_without_value', `--${name} needs a value. Usage: ${usage}`, name);
  }
  return out;
}

/** A token that is one of the declared options: `--to`, `--to=L3`. Anything else is a word. */
function optionOf(word: string, options: ReadonlyMap<string, ArgSpec>): { spec: ArgSpec; inline?: string } | undefined {
  const m = /^--([a-z][a-z0-9-]*)(?:=([\s\S]*))?$/i.exec(word);
  if (!m) return undefined;
  const spec = options.get(m[1]!.toLowerCase());
  if (!spec) return undefined;
  return m[2] === undefined ? { spec } : { spec, inline: m[2] };
}

function unquote(s: string): string {
  const t = s.trim();
  const quoted = t.length >= 2 && ((t.startsWith('"') && t.endsWith('"')) || (t.startsWith('“') && t.endsWith('”')));
  return quoted ? t.slice(1, -1).trim() : t;
}

function clip(word: string): string {
  return word.length > 40 ? `${word.slice(0, 40)}…` : word;
}
