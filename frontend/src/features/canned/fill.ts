// The composer's side of canned responses: the mirror of backend/canned's
// Fill and Pick, kept in step by the cases of
// backend/canned/testdata/fill_cases.json (fill.test.ts).

/** What a conversation gives the variables; an empty or blank value is no value. */
export interface FillValues {
  customer_name: string;
  agent_name: string;
  ext: Record<string, string>;
}

const varRE = /\{([A-Za-z0-9_.-]{1,64})\}/g;

/** Reports whether name is a variable fill knows. */
export function knownVariable(name: string): boolean {
  if (name === 'customer.name' || name === 'order_no' || name === 'agent.name') return true;
  if (!name.startsWith('ext.')) return false;
  const key = name.slice(4);
  return key !== '' && !key.startsWith('.') && !key.endsWith('.');
}

function lookup(name: string, v: FillValues): string {
  switch (name) {
    case 'customer.name':
      return v.customer_name;
    case 'agent.name':
      return v.agent_name;
    case 'order_no':
      return v.ext['order_no'] ?? '';
  }
  return name.startsWith('ext.') ? (v.ext[name.slice(4)] ?? '') : '';
}

/**
 * Replaces the variables of text with their values. A variable without a
 * value stays as written, braces included: missing lists those markers, in
 * order, each once, for the composer to select and the agent to fill in.
 */
export function fillCanned(text: string, v: FillValues): { text: string; missing: string[] } {
  const missing: string[] = [];
  const out = text.replace(varRE, (m: string, name: string) => {
    if (knownVariable(name)) {
      const val = lookup(name, v).trim();
      if (val !== '') return val;
    }
    if (!missing.includes(m)) missing.push(m);
    return m;
  });
  return { text: out, missing };
}

/** The text for a conversation in lang ("zh…": Chinese), else the other language's. */
export function pickCanned(zh: string, en: string, lang: string): string {
  if (lang.toLowerCase().startsWith('zh')) return zh !== '' ? zh : en;
  return en !== '' ? en : zh;
}
