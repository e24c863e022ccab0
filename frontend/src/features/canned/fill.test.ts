import { readFileSync } from 'node:fs';
import { resolve } from 'node:path';
import { describe, expect, it } from 'vitest';
import { fillCanned, pickCanned, knownVariable, type FillValues } from './fill';

// The cases backend/canned's Go tests run too: both fill alike.
interface Cases {
  fill: { name: string; text: string; values: FillValues; want: string; missing: string[] }[];
  unknown: { text: string; unknown: string[] }[];
  pick: { zh: string; en: string; lang: string; want: string }[];
}

const cases = JSON.parse(
  readFileSync(resolve(__dirname, '../../../../backend/canned/testdata/fill_cases.json'), 'utf8'),
) as Cases;

describe('fillCanned', () => {
  it('has the shared cases', () => {
    expect(cases.fill.length).toBeGreaterThan(0);
  });
  for (const c of cases.fill) {
    it(c.name, () => {
      expect(fillCanned(c.text, c.values)).toEqual({ text: c.want, missing: c.missing });
    });
  }
});

describe('knownVariable', () => {
  for (const c of cases.unknown) {
    it(c.text, () => {
      const names = [...c.text.matchAll(/\{([A-Za-z0-9_.-]{1,64})\}/g)].map((m) => m[1] ?? '');
      expect(names.filter((n) => !knownVariable(n))).toEqual(c.unknown);
    });
  }
});

describe('pickCanned', () => {
  for (const c of cases.pick) {
    it(`${c.lang || '(none)'} of ${c.zh}/${c.en}`, () => {
      expect(pickCanned(c.zh, c.en, c.lang)).toBe(c.want);
    });
  }
});
