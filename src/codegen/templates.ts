// The fixed text of generated modules lives in templates/ (shipped with the package), with
// `{{name}}` placeholders. The CLI reads the files; filling them in is pure.

export const TEMPLATE_NAMES = ['module', 'props', 'class', 'source', 'index'] as const;
export type TemplateName = (typeof TEMPLATE_NAMES)[number];
export type Templates = Readonly<Record<TemplateName, string>>;

/** The file of a template under templates/. */
export function templateFile(name: TemplateName): string {
  return `${name}.ts.tmpl`;
}

/** Each template split at its placeholders: text, name, text, name, ..., text. */
const split = new Map<string, string[]>();

/**
 * Replace every `{{name}}` in one pass (so a value that itself contains `{{x}}` stays as it is). A
 * placeholder without a value is a bug in the generator, not in the input, so it throws.
 */
export function fill(template: string, values: Readonly<Record<string, string>>): string {
  // Joined from the template's parts rather than by a regex replace: a module's value holds its
  // whole RGD as data (some embed large CRDs), and this copies it once, when the file is written.
  let parts = split.get(template);
  if (parts === undefined) {
    parts = template.split(/\{\{([A-Za-z]+)\}\}/);
    split.set(template, parts);
  }
  let out = parts[0] as string;
  for (let i = 1; i < parts.length; i += 2) {
    const name = parts[i] as string;
    const value = values[name];
    if (value === undefined) throw new Error(`template placeholder {{${name}}} has no value`);
    out += value + (parts[i + 1] as string);
  }
  return out;
}
