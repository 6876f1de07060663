/**
 * The writer of a file read in parts (ParsedFile.documents): each part's writer answers in the
 * part's own offsets; this one finds the part that holds a container and moves its edits to where
 * the part sits in the file.
 */
import type { Container } from '../model';
import type { EngineSettings, FixIntent } from '../rule';
import type { FixResult, FormatWriter, PlacedDocument } from './types';

/** Writes through the unit that holds the container, and moves its edits to the unit's place in the file. */
export class PlacedWriter implements FormatWriter {
  private owner?: Map<Container, PlacedDocument>;

  constructor(private readonly documents: readonly PlacedDocument[]) {}

  apply(intent: FixIntent, container: Container, settings: EngineSettings): FixResult | null {
    if (!this.owner) {
      // Made on first use: the engine writes through each document's own writer, not this one.
      this.owner = new Map();
      for (const d of this.documents) for (const w of d.workloads) for (const c of w.containers) this.owner.set(c, d);
    }
    const place = this.owner.get(container);
    if (!place) return null;
    const result = place.writer.apply(intent, container, settings);
    if (!result || place.start === 0) return result;
    return { title: result.title, edits: result.edits.map((e) => ({ start: e.start + place.start, end: e.end + place.start, text: e.text })) };
  }
}
