/**
 * Slack's three text entities. Slack escapes `&`, `<` and `>` in the text it sends (messages, slash
 * command text, a message fetched for a reaction or a shortcut) so that its own markup (`<@U1>`,
 * `<!here>`, `<https://…|label>`) cannot be confused with typed characters; we unescape on the way in,
 * so tierdesk stores what the person typed, and escape on the way out (block-kit.ts), so it is shown
 * as typed: `a & b < c > d` round-trips exactly. Text typed into a form (a modal's input) arrives
 * unescaped and must not pass through `fromSlack`.
 */

const ENTITIES: Record<string, string> = { '&amp;': '&', '&lt;': '<', '&gt;': '>' };

/** Slack's text → what the person typed. One pass, so `&amp;lt;` (a typed `&lt;`) stays `&lt;`. */
export function fromSlack(text: string): string {
  return text.replace(/&(?:amp|lt|gt);/g, (entity) => ENTITIES[entity]!);
}

/** Text to show in Slack mrkdwn or plain_text: the only three characters Slack asks to escape. */
export function toSlack(text: string): string {
  return text.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;');
}
