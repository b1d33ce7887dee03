// The fixed text of generated modules lives in templates/ (shipped with the package), with
// `{{name}}` placeholders. The CLI reads the files; filling them in is pure.

export const TEMPLATE_NAMES = ['module', 'props', 'class', 'source', 'index'] as const;
export type TemplateName = (typeof TEMPLATE_NAMES)[number];
export type Templates = Readonly<Record<TemplateName, string>>;

/** The file of a template under templates/. */
export function templateFile(name: TemplateName): string {
  return `${name}.ts.tmpl`;
}

/**
 * Replace every `{{name}}` in one pass (so a value that itself contains `{{x}}` stays as it is). A
 * placeholder without a value is a bug in the generator, not in the input, so it throws.
 */
export function fill(template: string, values: Readonly<Record<string, string>>): string {
  return template.replace(/\{\{([A-Za-z]+)\}\}/g, (_, name: string) => {
    const value = values[name];
    if (value === undefined) throw new Error(`template placeholder {{${name}}} has no value`);
    return value;
  });
}
