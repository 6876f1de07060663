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
 *
 * Two kinds: `lazyProperty` and `viewProperty` compute from the object itself; `lazySlot` and
 * `makeLazy` make a list (a finding's fixes) from an argument the object holds in its slot, one
 * slot per compute function, so that findings made alike keep one hidden class (#17).
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

/**
 * A list property computed on first read, then kept. Fixes are only read when an editor asks for
 * code actions or a fix is applied: while typing, most findings never need theirs.
 *
 * The property is an accessor whose getter and setter are one pair of functions per key and
 * compute function (lazySlot) for every object, and its state is one non-enumerable symbol slot:
 * the argument until the list is made, then the list (an argument is never an array). V8 then
 * gives every finding made the same way the same hidden class. A getter made per object (a
 * closure) turns each object into a dictionary after the first, and one property defined over an
 * existing data property does too: measured on 2,000 pods (8,000 findings) that was 8.5 MB of
 * property dictionaries, 42 MB per MB of input (#17). So `key` must not be a property of `target` yet.
 *
 * Makes `target[slot.key]` lazy when `target` already holds the argument in `slot.value`: written
 * as the last property of the object literal that made it, the slot sits in the object with the
 * others (defined afterwards, it spills into a property store of its own). It is then made
 * non-enumerable, so that spreading or comparing findings sees `fixes`, never the slot.
 */
export function makeLazy<T>(target: object, slot: LazySlot): T {
  Object.defineProperty(target, slot.value, { enumerable: false });
  Object.defineProperty(target, slot.key, { configurable: true, enumerable: true, get: slot.get, set: slot.set });
  return target as T;
}

export interface LazySlot {
  key: PropertyKey;
  value: symbol;
  get(this: Record<symbol, unknown>): unknown;
  set(this: Record<symbol, unknown>, value: unknown): void;
}

/** The slot and accessors of each key, per compute function (a handful of them). */
const lazySlots = new Map<PropertyKey, Map<unknown, LazySlot>>();
const NOTHING_YET: readonly unknown[] = Object.freeze([]);

export function lazySlot(key: PropertyKey, compute: (arg: unknown, target: unknown) => readonly unknown[]): LazySlot {
  let byCompute = lazySlots.get(key);
  if (!byCompute) lazySlots.set(key, (byCompute = new Map()));
  let slot = byCompute.get(compute);
  if (slot) return slot;
  // A symbol of its own per compute function too: objects made alike then share hidden classes. With
  // one symbol per key, two getters for one key behind the same hidden class make V8 turn the second
  // kind of object into a dictionary (448 bytes more per shifted finding, #17).
  const value = Symbol(String(key));
  slot = {
    key,
    value,
    get() {
      const v = this[value];
      if (Array.isArray(v)) return v;
      // Marked done before it is computed: a compute function that reads the property again gets an empty list, never a loop.
      this[value] = NOTHING_YET;
      const made = compute(v, this);
      this[value] = made;
      return made;
    },
    set(v: unknown) {
      this[value] = v;
    },
  };
  byCompute.set(compute, slot);
  return slot;
}

/** A lazy list made by a function of its own (one closure per object: for the few objects made so). */
function callThunk<V>(make: () => V): V {
  return make();
}

/** `fixes` made by a function the finding holds in the slot (the engine's reports, Helm's relocated findings). */
export const THUNK_FIXES = lazySlot('fixes', callThunk as (arg: unknown) => readonly unknown[]);
