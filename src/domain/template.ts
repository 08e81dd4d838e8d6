/**
 * Wording a deployment writes itself: text with named fields in braces (`{opens}`). Unknown names are
 * found when the configuration is read, so a typo never reaches a requester as `{opnes}`.
 */

const FIELD = /\{([a-z_]+)\}/g;

/** The field names a template uses, in order of first use. */
export function templateFields(template: string): string[] {
  return [...new Set([...template.matchAll(FIELD)].map((m) => m[1]!))];
}

/** The template with each known field replaced by its value; unknown ones are left as written. */
export function fillTemplate(template: string, values: Readonly<Record<string, string>>): string {
  return template.replace(FIELD, (whole, name: string) => (Object.hasOwn(values, name) ? values[name]! : whole));
}
