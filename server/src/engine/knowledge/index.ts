/** The privilege knowledge base: capabilities, known images, workload hints, generated docs. */
export * from './capabilities';
export * from './images';
export * from './hints';
export { renderKnowledgeDocs } from './docs';
