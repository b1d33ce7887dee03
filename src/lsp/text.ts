// Offsets and editor positions in one document's text. Editors count lines from 0 and characters
// in UTF-16 code units, as JavaScript strings do, so a character is a string index on its line.

export interface Position {
  readonly line: number;
  readonly character: number;
}

export interface Range {
  readonly start: Position;
  readonly end: Position;
}

export class LineIndex {
  readonly text: string;
  readonly #starts: number[] = [0];

  constructor(text: string) {
    this.text = text;
    for (let i = 0; i < text.length; i++) if (text.charCodeAt(i) === 10) this.#starts.push(i + 1);
  }

  offsetAt(p: Position): number {
    const line = Math.max(0, Math.min(p.line, this.#starts.length - 1));
    const start = this.#starts[line] as number;
    const end = line + 1 < this.#starts.length ? (this.#starts[line + 1] as number) - 1 : this.text.length;
    return Math.min(start + Math.max(0, p.character), end);
  }

  positionAt(offset: number): Position {
    const o = Math.max(0, Math.min(offset, this.text.length));
    let lo = 0;
    let hi = this.#starts.length - 1;
    while (lo < hi) {
      const mid = (lo + hi + 1) >> 1;
      if ((this.#starts[mid] as number) <= o) lo = mid;
      else hi = mid - 1;
    }
    return { line: lo, character: o - (this.#starts[lo] as number) };
  }

  range(start: number, end: number): Range {
    return { start: this.positionAt(start), end: this.positionAt(end) };
  }

  /** The offset of a 1-based `line:col` as diagnostics carry it. */
  offsetOfLineCol(line: number, col: number): number {
    return this.offsetAt({ line: line - 1, character: col - 1 });
  }

  /** The text of the line holding `offset`, up to `offset`. */
  lineBefore(offset: number): string {
    const p = this.positionAt(offset);
    return this.text.slice(offset - p.character, offset);
  }
}
