/**
 * Properties computed on first read, defined the same way on every object of a kind (#16).
 *
 * Each is one getter and one setter shared by every object, with the object's own state in a
 * symbol slot; never `Object.defineProperty` with a getter made for the object (a closure). V8
 * gives an object whose accessor is a function of its own a hidden class of its own, and hidden
 * classes live in the old generation: the one made for each lint result kept a pointer to its
 * getter, the getter to what it computes from (the result's documents, models and parse), and a
 * young-generation collection keeps whatever an old object points to. So every result outlived
 * the scavenges after it until the next full collection. Typing in a 300-line Compose file, about
 * 3 MB went to the old generation at each scavenge, which took 5–10 ms.
 */

import type { ParsedFile } from './adapters/types';
import type { Workload } from './model';

const UNSET: unique symbol = Symbol('unset');

/**
 * A property `key` computed once by `compute(target)` on first read, then kept; a value written to
 * it replaces it. `define(target)` must come before `target` has a property `key` (over an existing
 * data property, V8 turns the object into a dictionary).
 */
export function lazyProperty<T extends object, V>(key: string, compute: (target: T) => V): (target: T) => void {
  const slot = Symbol(key);
  const descriptor: PropertyDescriptor = {
    configurable: true,
    enumerable: true,
    get(this: T) {
      const own = this as unknown as Record<symbol, unknown>;
      let v = own[slot];
      if (v === UNSET) {
        // Marked before it is computed: a compute that reads the property again gets undefined, never a loop.
        own[slot] = undefined;
        v = own[slot] = compute(this);
      }
      return v;
    },
    set(this: T, value: unknown) {
      (this as unknown as Record<symbol, unknown>)[slot] = value;
    },
  };
  return (target) => {
    Object.defineProperty(target, slot, { value: UNSET, writable: true, configurable: true, enumerable: false });
    Object.defineProperty(target, key, descriptor);
  };
}

/**
 * A property `key` made by `make(target)` when read and kept only as long as its reader keeps it (a
 * weak reference): the same object for every read while it is held, made again once it was let
 * go of. A value written to it is kept as written.
 */
export function viewProperty<T extends object, V extends object>(key: string, make: (target: T) => V): (target: T) => void {
  const slot = Symbol(key);
  interface State {
    kept?: WeakRef<V>;
    set?: { value: unknown };
  }
  const descriptor: PropertyDescriptor = {
    configurable: true,
    enumerable: true,
    get(this: T) {
      const own = this as unknown as Record<symbol, State | undefined>;
      const state = (own[slot] ??= {});
      if (state.set) return state.set.value;
      let view = state.kept?.deref();
      if (!view) {
        view = make(this);
        state.kept = new WeakRef(view);
      }
      return view;
    },
    set(this: T, value: unknown) {
      ((this as unknown as Record<symbol, State | undefined>)[slot] ??= {}).set = { value };
    },
  };
  return (target) => {
    Object.defineProperty(target, slot, { value: undefined, writable: true, configurable: true, enumerable: false });
    Object.defineProperty(target, key, descriptor);
  };
}

/** A file read in parts: every part's workloads in one list, made when read (the engine reads them per part). */
export const defineDocumentWorkloads = lazyProperty<ParsedFile, Workload[]>('workloads', (p) => (p.documents ?? []).flatMap((d) => d.workloads));
