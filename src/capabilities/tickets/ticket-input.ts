/** A new ticket's fields as a requester gave them, validated and cleaned: every refusal names the field. */
import { UserError } from '../../domain/errors.js';
import { LEVELS, isLevel, type Level } from '../../domain/priority.js';
import { cleanLine, cleanUserText } from '../../domain/text.js';
import type { Core } from '../../core/work.js';

/** What a requester fills in; every field is untrusted text. */
export interface NewTicketInput {
  title?: string;
  description?: string;
  urgency?: string;
  impact?: string;
  category?: string;
  product?: string;
  version?: string;
}

const SHORT_FIELD_MAX = 100;

function level(value: string | undefined, flag: string, fallback: Level): Level {
  if (value === undefined || value.trim() === '') return fallback;
  const v = value.trim().toLowerCase();
  if (!isLevel(v))
    throw new UserError('bad_level', `--${flag} must be ${LEVELS.join(', ')}; "${cleanLine(value).slice(0, 40)}" is not one of them.`, flag);
  return v;
}

/** An optional one-line field: left empty (a form's untouched input) it is not given. */
function shortField(value: string | undefined, flag: string): string | undefined {
  if (value === undefined) return undefined;
  const v = cleanLine(value);
  // A form's emptied optional field (sent as '') means none; typed, `--product` with no value is refused by the parser.
  if (v === '') return undefined;
  if (v.length > SHORT_FIELD_MAX) throw new UserError('too_long', `--${flag} is ${v.length} characters; the limit is ${SHORT_FIELD_MAX}.`, flag);
  return v;
}

export type ValidTicket = ReturnType<typeof validateNewTicket>;

/** Validate and clean the input; every refusal names the field. */
export function validateNewTicket(core: Core, input: NewTicketInput) {
  const limits = core.config.tickets;
  const title = cleanLine(input.title ?? '');
  if (title === '')
    throw new UserError(
      'missing_title',
      'A ticket needs a title: /ticket new <title> [--description TEXT] [--urgency high|medium|low] [--impact high|medium|low]',
      'title',
    );
  if (title.length > limits.titleMax)
    throw new UserError(
      'too_long',
      `The title is ${title.length} characters; the limit is ${limits.titleMax}. Put the details in --description.`,
      'title',
    );
  const description = cleanUserText(input.description ?? '').trim();
  if (description.length > limits.descriptionMax)
    throw new UserError('too_long', `The description is ${description.length} characters; the limit is ${limits.descriptionMax}.`, 'description');
  const urgency = level(input.urgency, 'urgency', limits.defaultUrgency);
  const impact = level(input.impact, 'impact', limits.defaultImpact);
  let category = shortField(input.category, 'category');
  if (category !== undefined && limits.categories) {
    const known = limits.categories.find((c) => c.toLowerCase() === category!.toLowerCase());
    if (!known)
      throw new UserError('bad_category', `"${category}" is not a category here. Choose one of: ${limits.categories.join(', ')}.`, 'category');
    category = known;
  }
  const product = shortField(input.product, 'product');
  const version = shortField(input.version, 'version');
  if (version !== undefined && product === undefined)
    throw new UserError('version_without_product', '--version says which version of a product: add --product NAME.', 'product');
  return { title, description, urgency, impact, category, product, version };
}
