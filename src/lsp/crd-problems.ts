// Problems reading the CRDs of the `kroGen.crdPaths` setting, where an editor shows them: a
// problem inside a file (a YAML error) as a diagnostic on that file, which editors list even while
// it is closed; one the user would not otherwise see (no such path, a path holding no CRD, or a
// file not open) also in a one-line notice (window/showMessage). `validate` words them for --crd.
import { type Diagnostic, formatDiagnostic } from '../diagnostics.js';

export interface CrdProblems {
  /** Problems located in a file, by its path. */
  readonly byFile: ReadonlyMap<string, readonly Diagnostic[]>;
  /** The notice to show, or undefined when every problem is on an open file. */
  readonly notice?: string;
}

/** The messages as the setting's problems: `--crd x` is the entry `x` of kroGen.crdPaths. */
function reword(d: Diagnostic): Diagnostic {
  return d.message.includes('--crd ')
    ? { ...d, message: d.message.replace(/--crd /g, 'kroGen.crdPaths entry ') }
    : d;
}

export function crdProblems(
  diagnostics: readonly Diagnostic[],
  isOpen: (file: string) => boolean,
): CrdProblems {
  const byFile = new Map<string, Diagnostic[]>();
  const unseen: Diagnostic[] = [];
  for (const raw of diagnostics) {
    const d = reword(raw);
    const file = d.pos?.file;
    if (file !== undefined) {
      const list = byFile.get(file) ?? [];
      list.push(d);
      byFile.set(file, list);
    }
    if (file === undefined || !isOpen(file)) unseen.push(d);
  }
  if (unseen.length === 0) return { byFile };
  const first = formatDiagnostic(unseen[0] as Diagnostic);
  const more = unseen.length > 1 ? ` (and ${unseen.length - 1} more)` : '';
  return { byFile, notice: `kro-gen: problem reading kroGen.crdPaths: ${first}${more}` };
}
