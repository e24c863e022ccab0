// The bound methods of app.App, as the UI types them, checked against the
// ones Wails generates from the Go side (frontend/wailsjs/go/app/App.d.ts,
// `make bindings`). tsc fails when the two differ, so a method added,
// removed or changed in Go cannot go unnoticed here.
//
// The UI keeps its own declarations rather than the generated ones: the
// payloads are typed with the wire types of protocol.gen.ts (string-literal
// unions, nullable where Go sends null), and the calls go through
// window.go, because the generated functions dereference it unguarded and a
// plain browser or a missing binding would throw a TypeError rather than
// reject with ApiError('unavailable').

import type * as Generated from '../../wailsjs/go/app/App';
import type { BenchBindings } from './bench';
import type { DesktopBindings } from './desktop';
import type { FileBindings } from './files';
import type { PolicyBindings } from './policy';
import type { WailsAppBindings } from './wails';

/** Every bound method of app.App, each declared once in the module that wraps it. */
export type AppBindings = WailsAppBindings &
  FileBindings &
  DesktopBindings &
  PolicyBindings &
  BenchBindings;

type GeneratedApp = typeof Generated;

/**
 * The keys of a JSON payload at every depth, its leaves erased: Go's nil
 * slices and pointers (null) and omitempty fields (optional) compare as
 * present, since the two generators spell them differently. A map's keys
 * are data, not fields. Wails types json.RawMessage as []byte, number[],
 * where the wire has the raw JSON (which protocol.gen.ts types), so a
 * number[] compares with anything.
 */
type Keys<T> = [T] extends [number[]]
  ? unknown
  : T extends readonly (infer U)[]
    ? Keys<U>[]
    : T extends object
      ? string extends keyof T
        ? unknown
        : { [K in keyof T]-?: Keys<NonNullable<T[K]>> }
      : unknown;

/** A JSON payload with null and optional erased at every depth, as Keys compares it. */
type Wire<T> = [T] extends [number[]]
  ? unknown
  : T extends readonly (infer U)[]
    ? Wire<U>[]
    : T extends object
      ? { [K in keyof T]-?: Wire<NonNullable<T[K]>> }
      : T;

type Mutual<A, B> = [A] extends [B] ? ([B] extends [A] ? true : false) : false;

/**
 * A payload the UI declares matches the generated one: the same fields at
 * every depth, each of a type the Go side can send (the UI may narrow a
 * string to the literals of a protocol enum). A payload the UI declares
 * unknown it parses itself.
 */
type SamePayload<Ours, Theirs> = unknown extends Ours
  ? true
  : Mutual<Keys<NonNullable<Ours>>, Keys<NonNullable<Theirs>>> extends true
    ? [Wire<NonNullable<Ours>>] extends [Wire<NonNullable<Theirs>>]
      ? true
      : false
    : false;

/** Each argument of a tuple of arguments as Wire and Keys compare it. */
type WireArgs<T extends unknown[]> = { [I in keyof T]: Wire<NonNullable<T[I]>> };
type KeysArgs<T extends unknown[]> = { [I in keyof T]: Keys<NonNullable<T[I]>> };

/** Arguments the UI passes are ones the Go method takes, as many and of the same types. */
type SameArgs<Ours extends unknown[], Theirs extends unknown[]> =
  Mutual<Ours['length'], Theirs['length']> extends true
    ? [WireArgs<Ours>] extends [WireArgs<Theirs>]
      ? Mutual<KeysArgs<Ours>, KeysArgs<Theirs>>
      : false
    : false;

type Agrees<K extends keyof AppBindings & keyof GeneratedApp> =
  SameArgs<Parameters<AppBindings[K]>, Parameters<GeneratedApp[K]>> extends true
    ? SamePayload<Awaited<ReturnType<AppBindings[K]>>, Awaited<ReturnType<GeneratedApp[K]>>>
    : false;

/** The methods whose arguments or result differ from the generated ones. */
type Differing = {
  [K in keyof AppBindings & keyof GeneratedApp]: Agrees<K> extends true ? never : K;
}[keyof AppBindings & keyof GeneratedApp];

type Assert<T extends true> = T;

/** true when there are no names, else the names, for tsc's message. */
type OrNames<Names> = [Names] extends [never] ? true : Names;

/** tsc reports the names of methods Go has and the UI does not declare. */
export type NoneMissing = Assert<OrNames<Exclude<keyof GeneratedApp, keyof AppBindings>>>;
/** tsc reports the names of methods the UI declares and Go no longer has. */
export type NoneExtra = Assert<OrNames<Exclude<keyof AppBindings, keyof GeneratedApp>>>;
/** tsc reports the names of methods whose arguments or result differ. */
export type NoneDiffering = Assert<OrNames<Differing>>;
