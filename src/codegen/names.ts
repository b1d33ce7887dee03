// Naming for generated code: file names from kinds, type names from schema paths, property keys as
// written. Keys are never renamed (the generated types must describe the very JSON kro receives), so
// the only names invented here are type names, and those are kept unique by one registry per output.

/** ASCII identifier syntax; anything else is written as a quoted key. */
export function isIdentifier(name: string): boolean {
  return /^[A-Za-z_$][A-Za-z0-9_$]*$/.test(name);
}

/**
 * A property key as it may appear in an interface: bare when it is an identifier (keywords are legal
 * property names), quoted otherwise. `__proto__` is quoted so no reader mistakes it for the prototype.
 */
export function propertyKey(name: string): string {
  return isIdentifier(name) && name !== '__proto__' ? name : quote(name);
}

// What quote has to escape; most strings (ids, enum values, kinds) hold none of it.
const NEEDS_QUOTE_ESCAPE = /['\\\u0000-\u001f\u007f\u2028\u2029]/;

/** A single-quoted TypeScript string literal. */
export function quote(s: string): string {
  // One native test instead of a step per character.
  if (!NEEDS_QUOTE_ESCAPE.test(s)) return `'${s}'`;
  let out = "'";
  for (const ch of s) {
    const code = ch.codePointAt(0) ?? 0;
    if (ch === "'") out += "\\'";
    else if (ch === '\\') out += '\\\\';
    else if (ch === '\n') out += '\\n';
    else if (ch === '\r') out += '\\r';
    else if (ch === '\t') out += '\\t';
    else if (code < 0x20 || code === 0x7f || code === 0x2028 || code === 0x2029)
      out += `\\u${code.toString(16).padStart(4, '0')}`;
    else out += ch;
  }
  return `${out}'`;
}

// Words of a name: runs of letters and digits, split again where camel case changes word.
function words(name: string): string[] {
  const out: string[] = [];
  for (const chunk of name.split(/[^A-Za-z0-9]+/)) {
    if (chunk === '') continue;
    // `HTTPRoute` -> HTTP Route, `fooBar` -> foo Bar, `v1Beta` -> v1 Beta.
    const parts = chunk.match(/[A-Z]+(?=[A-Z][a-z])|[A-Z]?[a-z]+[0-9]*|[A-Z]+[0-9]*|[0-9]+/g);
    out.push(...(parts ?? [chunk]));
  }
  return out;
}

/** `an Application`, `a WordPress`: by the first letter, which is right for nearly every kind. */
export function withArticle(name: string): string {
  return `${/^[AEIOU]/i.test(name) ? 'an' : 'a'} ${name}`;
}

/** `word-press` / `word_press` / `wordPress` -> `WordPress`; empty when there is nothing to keep. */
export function pascalCase(name: string): string {
  return words(name)
    .map((w) => w.charAt(0).toUpperCase() + w.slice(1))
    .join('');
}

/** `WordPress` -> `word-press`, `HTTPRoute` -> `http-route`. */
export function kebabCase(name: string): string {
  return words(name)
    .map((w) => w.toLowerCase())
    .join('-');
}

/**
 * Hands out type names that are unique within one output (every module is re-exported by one barrel,
 * so a name must be unique across modules too). The first claim of a name gets it as is; a later claim
 * of the same name gets the lowest free numeric suffix, so the result depends only on claim order.
 */
export class NameRegistry {
  readonly #taken = new Set<string>();
  // Where the search for a base's next free suffix resumes. Names are never given back, so every
  // suffix below it is still taken: resuming finds the same lowest free suffix without trying the
  // taken ones again (a big schema claims one base thousands of times, and trying each suffix from
  // 2 on was a visible share of generating kro's ack CRD examples).
  readonly #nextSuffix = new Map<string, number>();

  claim(base: string): string {
    if (!this.#taken.has(base)) {
      this.#taken.add(base);
      return base;
    }
    let i = this.#nextSuffix.get(base) ?? 2;
    while (this.#taken.has(`${base}${i}`)) i++;
    const name = `${base}${i}`;
    this.#taken.add(name);
    this.#nextSuffix.set(base, i + 1);
    return name;
  }
}
