/**
 * Offsets (UTF-16 code units, as the engine's spans) → lines and columns.
 * Line breaks are \n, \r\n and a lone \r, as in suppress.ts and LSP.
 */
import type { Span } from '../engine/model';
import { lineIndex, lineOf } from '../engine/suppress';
import type { LineIndex } from '../engine/suppress';

/** 0-based, LSP-style. `character` counts UTF-16 code units. */
export interface Position {
  line: number;
  character: number;
}

/** 1-based, ESLint/SARIF-style; `endColumn` is the column just after the last character. */
export interface Region {
  line: number;
  column: number;
  endLine: number;
  endColumn: number;
}

export class PositionMapper {
  private readonly index: LineIndex;

  constructor(private readonly text: string) {
    this.index = lineIndex(text);
  }

  /** 0-based position of an offset; offsets outside the text are clamped. */
  positionAt(offset: number): Position {
    const clamped = Math.max(0, Math.min(offset, this.text.length));
    const line = lineOf(this.index, clamped);
    return { line, character: clamped - this.index.starts[line] };
  }

  /** 1-based region of a span. */
  region(span: Span): Region {
    const start = this.positionAt(span.start);
    const end = this.positionAt(Math.max(span.start, span.end));
    return { line: start.line + 1, column: start.character + 1, endLine: end.line + 1, endColumn: end.character + 1 };
  }
}
