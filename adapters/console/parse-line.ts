/** What one console input line asks for. */
export type ConsoleLine =
  | { kind: 'blank' }
  | { kind: 'invalid'; reason: string }
  | { kind: 'command'; user: string; name: string; text: string }
  | { kind: 'message'; user: string; text: string; ticket?: number; question?: number };

const USER = /^([A-Za-z0-9][A-Za-z0-9._-]{0,63})\s*:\s?(.*)$/s;

/**
 * Parse `<user>: <text>`. `/ticket new ...` is a command; `#12 text` is a message in ticket 12's
 * conversation; `Q3 text` a message in peer question 3's thread; a line starting with `//` is a
 * comment (handy in scripts).
 */
export function parseConsoleLine(line: string): ConsoleLine {
  const trimmed = line.trim();
  if (trimmed === '' || trimmed.startsWith('//')) return { kind: 'blank' };
  const m = USER.exec(trimmed);
  if (!m) return { kind: 'invalid', reason: 'Write "<user>: <text>", for example: requester: /ticket new Printer on fire --urgency high' };
  const user = m[1]!;
  const text = m[2]!.trim();
  if (text === '') return { kind: 'invalid', reason: `${user} said nothing. Try: ${user}: /help` };
  if (text.startsWith('/')) {
    // The command's words are kept as written (spacing included): free text is the user's, not ours.
    const first = /^\S*/.exec(text.slice(1))![0];
    return { kind: 'command', user, name: first.toLowerCase(), text: text.slice(1 + first.length).replace(/^\s+/, '') };
  }
  const ref = /^#(\d{1,9})\b\s*(.*)$/s.exec(text);
  if (ref) return { kind: 'message', user, ticket: Number(ref[1]), text: ref[2]! };
  const question = /^Q(\d{1,9})\b\s*(.*)$/is.exec(text);
  if (question) return { kind: 'message', user, question: Number(question[1]), text: question[2]! };
  return { kind: 'message', user, text };
}
