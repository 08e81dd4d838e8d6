/** The `products:` section's schema: products, their versions and support windows. */
import { z } from 'zod';
import { id, strict, text } from './schema-parts.js';

const date = (description: string) => z.string().describe(`${description} (a date YYYY-MM-DD in the product\u2019s zone; the day is included)`);
export const product = strict(
  {
    aliases: z.array(z.string()).describe('other names requesters may type'),
    owner: id('the tier that owns the product: warned 90 and 30 days before a version\u2019s end of support'),
    zone: text('IANA zone its dates are in (default: the owner tier\u2019s hours calendar zone, else UTC)'),
    unsupported: z
      .union([z.enum(['accept', 'refuse']), strict({ route: id('a tier id') }, { required: ['route'] })])
      .describe('a ticket about a version past its extended support: accept (default), refuse, or { route: TIER }'),
    versions: z
      .array(
        strict(
          {
            version: text('the version\u2019s name, quoted ("2.0")'),
            released: date('general availability'),
            end_of_support: date('last day of standard support'),
            end_of_extended_support: date('last day of extended support'),
            lts: z.boolean().describe('a long-term support release'),
          },
          { required: ['version', 'released', 'end_of_support'] },
        ),
      )
      .describe('the versions, in release order'),
  },
  { required: ['versions'] },
);
