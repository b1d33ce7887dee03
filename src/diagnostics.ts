// Diagnostics shared by every stage. A stage never throws for bad user input: it returns
// diagnostics, and the CLI decides the exit code. Positions are 1-based, as editors show them.

export interface SourcePos {
  readonly file: string;
  readonly line: number;
  readonly col: number;
}

export type Severity = 'error' | 'warning';

export interface Diagnostic {
  readonly severity: Severity;
  readonly message: string;
  readonly pos?: SourcePos;
  /** Stable machine-readable code, e.g. `schema/unknown-type`, for `--format json`. */
  readonly code?: string;
}

export function error(message: string, pos?: SourcePos, code?: string): Diagnostic {
  return { severity: 'error', message, ...(pos ? { pos } : {}), ...(code ? { code } : {}) };
}

export function warning(message: string, pos?: SourcePos, code?: string): Diagnostic {
  return { severity: 'warning', message, ...(pos ? { pos } : {}), ...(code ? { code } : {}) };
}

export function hasErrors(diags: readonly Diagnostic[]): boolean {
  return diags.some((d) => d.severity === 'error');
}

/**
 * `file:line:col: severity: message`, the form compilers use so editors and CI can link it. Always
 * one line: a line break in the file name or the message is written as `\n`, so every diagnostic
 * stays one line whatever a stage or a file name put in it.
 */
export function formatDiagnostic(d: Diagnostic): string {
  const where = d.pos ? `${oneLine(d.pos.file)}:${d.pos.line}:${d.pos.col}: ` : '';
  return `${where}${d.severity}: ${oneLine(d.message)}`;
}

// Line breaks and other control characters, escaped as JSON writes them.
const CONTROL = /[\u0000-\u001f\u007f\u2028\u2029]/g;

const ESCAPES: Record<string, string> = { '\n': '\\n', '\r': '\\r', '\t': '\\t' };

/** `text` with control characters (line breaks first of all) escaped as JSON writes them. */
export function oneLine(text: string): string {
  return text.replace(CONTROL, (c) => ESCAPES[c] ?? `\\u${c.charCodeAt(0).toString(16).padStart(4, '0')}`);
}

/**
 * A user value as a message shows it, as kro's messages do: a string in double quotes, anything
 * else as compact JSON; one line (control characters escaped), and cut with an ellipsis beyond
 * `max` characters.
 */
export function quoted(value: unknown, max = MAX_QUOTED_EXPRESSION): string {
  if (typeof value === 'string') {
    const chars = Array.from(value);
    const cut = chars.length <= max ? value : `${chars.slice(0, max - 1).join('')}…`;
    return JSON.stringify(cut);
  }
  let text: string;
  try {
    text =
      typeof value === 'bigint'
        ? value.toString()
        : (JSON.stringify(value, (_k, v) => (typeof v === 'bigint' ? v.toString() : v)) ?? String(value));
  } catch {
    text = String(value);
  }
  const chars = Array.from(oneLine(text));
  return chars.length <= max ? chars.join('') : `${chars.slice(0, max - 1).join('')}…`;
}

/** Sort by file, line, column, then message, so output does not depend on discovery order. */
export function sortDiagnostics(diags: readonly Diagnostic[]): Diagnostic[] {
  return [...diags].sort((a, b) => {
    const fa = a.pos?.file ?? '';
    const fb = b.pos?.file ?? '';
    if (fa !== fb) return fa < fb ? -1 : 1;
    const la = a.pos?.line ?? 0;
    const lb = b.pos?.line ?? 0;
    if (la !== lb) return la - lb;
    const ca = a.pos?.col ?? 0;
    const cb = b.pos?.col ?? 0;
    if (ca !== cb) return ca - cb;
    return a.message < b.message ? -1 : a.message > b.message ? 1 : 0;
  });
}

/** Thrown only across API boundaries where a caller asked for a value, not diagnostics. */
export class DiagnosticError extends Error {
  readonly diagnostics: readonly Diagnostic[];
  constructor(diagnostics: readonly Diagnostic[]) {
    super(diagnostics.map(formatDiagnostic).join('\n'));
    this.name = 'DiagnosticError';
    this.diagnostics = diagnostics;
  }
}

/**
 * A name (a kind, an apiVersion) as a message prints it: as is while it is one plain token, else
 * quoted and cut, so a space or a line break in it cannot blur the message.
 */
export function shownName(text: string): string {
  return /^[\w./-]+$/.test(text) && Array.from(text).length <= MAX_QUOTED_EXPRESSION ? text : quoted(text);
}

/** The longest expression a message quotes whole; a longer one is cut (see `excerpt`). */
export const MAX_QUOTED_EXPRESSION = 100;

/**
 * An expression (or other user text) as a one-line message quotes it: line breaks become spaces,
 * and beyond `max` characters it is cut and ends in an ellipsis. The position of the diagnostic
 * still points at the full text.
 */
export function excerpt(text: string, max = MAX_QUOTED_EXPRESSION): string {
  const line = text.replace(/\s*[\r\n\u2028\u2029]+\s*/g, ' ');
  // At most `max` code units is at most `max` code points: most texts end here, without an array
  // of their characters (a message is built for every expression checked, printed or not).
  if (line.length <= max) return line;
  const chars = Array.from(line);
  return chars.length <= max ? line : `${chars.slice(0, max - 1).join('')}…`;
}
