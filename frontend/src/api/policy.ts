// The managed policy binding (app.App.Policy, app/policy.go): the settings
// an administrator presets or locks, and what is wrong with them. Like
// index.ts, the only code that touches the Wails globals for it.

import { toApiError } from './errors';
import { isRecord } from './runtime';

/** A setting as resolved (policy.StringSetting and its kin). */
export interface PolicySetting<T> {
  value: T;
  /** Enforced by the administrator: the agent cannot change it. */
  locked: boolean;
  /** Where it came from (a registry key or a file); '' for the built-in default. */
  source: string;
}

/** A language the policy sets: one of the UI's, or follow the OS. */
export type PolicyLanguage = 'en' | 'zh-CN' | 'system';

/** Something wrong with a policy source (policy.Problem). */
export interface PolicyProblem {
  source: string;
  /** The setting, e.g. "CacheRetentionDays" or "Recommended.Language"; '' for the whole source. */
  key: string;
  /** malformed, unreadable, wrong_type, out_of_range, unknown_value, bad_url, unknown_key, no_effect, conflict. */
  code: string;
  /** error: the value or source is ignored; warning: it has no effect. */
  severity: string;
  /** What is wrong, in English, for the administrator. */
  message: string;
}

/** The managed policy in force (policy.Policy). */
export interface PolicyState {
  ServerURL: PolicySetting<string>;
  LockServerURL: PolicySetting<boolean>;
  AllowedServers: PolicySetting<string[]>;
  DisableUpdateCheck: PolicySetting<boolean>;
  Language: PolicySetting<PolicyLanguage>;
  CacheRetentionDays: PolicySetting<number>;
  LogLevel: PolicySetting<string>;
  problems: PolicyProblem[];
}

/** The policy without any administrator: nothing locked, built-in values. */
export const NO_POLICY: PolicyState = {
  ServerURL: { value: '', locked: false, source: '' },
  LockServerURL: { value: false, locked: false, source: '' },
  AllowedServers: { value: [], locked: false, source: '' },
  DisableUpdateCheck: { value: false, locked: false, source: '' },
  Language: { value: 'system', locked: false, source: '' },
  CacheRetentionDays: { value: 0, locked: false, source: '' },
  LogLevel: { value: 'info', locked: false, source: '' },
  problems: [],
};

/** The bound method of app.App this module uses; it parses the result itself. */
export interface PolicyBindings {
  Policy(): Promise<unknown>;
}

function setting<T>(
  v: unknown,
  ok: (x: unknown) => x is T,
  fallback: PolicySetting<T>,
): PolicySetting<T> {
  if (!isRecord(v) || !ok(v.value)) return fallback;
  return {
    value: v.value,
    locked: v.locked === true,
    source: typeof v.source === 'string' ? v.source : '',
  };
}

const isString = (x: unknown): x is string => typeof x === 'string';
const isBool = (x: unknown): x is boolean => typeof x === 'boolean';
const isNumber = (x: unknown): x is number => typeof x === 'number' && Number.isFinite(x);
const isStrings = (x: unknown): x is string[] => Array.isArray(x) && x.every(isString);
const isLanguage = (x: unknown): x is PolicyLanguage =>
  x === 'en' || x === 'zh-CN' || x === 'system';

function isProblem(v: unknown): v is PolicyProblem {
  return isRecord(v) && isString(v.source) && isString(v.key) && isString(v.code);
}

/** Checks the shape of what the Go side returned, keeping what is well-formed. */
export function normalizePolicy(v: unknown): PolicyState {
  if (!isRecord(v)) return NO_POLICY;
  const problems = Array.isArray(v.problems) ? v.problems.filter(isProblem) : [];
  return {
    ServerURL: setting(v.ServerURL, isString, NO_POLICY.ServerURL),
    LockServerURL: setting(v.LockServerURL, isBool, NO_POLICY.LockServerURL),
    AllowedServers: setting(v.AllowedServers, isStrings, NO_POLICY.AllowedServers),
    DisableUpdateCheck: setting(v.DisableUpdateCheck, isBool, NO_POLICY.DisableUpdateCheck),
    Language: setting(v.Language, isLanguage, NO_POLICY.Language),
    CacheRetentionDays: setting(v.CacheRetentionDays, isNumber, NO_POLICY.CacheRetentionDays),
    LogLevel: setting(v.LogLevel, isString, NO_POLICY.LogLevel),
    problems: problems.map((p) => ({
      ...p,
      severity: isString(p.severity) ? p.severity : 'error',
      message: isString(p.message) ? p.message : '',
    })),
  };
}

/**
 * Reads the managed policy. Outside the desktop app (a plain browser) there
 * is none; a failed call rejects with ApiError.
 */
export async function policy(): Promise<PolicyState> {
  const fn = window.go?.app?.App?.Policy;
  if (typeof fn !== 'function') return NO_POLICY;
  try {
    return normalizePolicy(await fn());
  } catch (err) {
    throw toApiError(err);
  }
}
