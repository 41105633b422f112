import 'server-only';

interface Visit {
  value: unknown;
  key: string | null;
  parent: Visit | null;
}

function pathOf(visit: Visit, key?: string): string {
  const keys = key === undefined ? [] : [key];
  for (let at: Visit | null = visit; at?.key != null; at = at.parent) keys.unshift(at.key);
  return keys.join('.') || 'input';
}

/**
 * Postgres text cannot hold U+0000: a string carrying one fails inside the query with a 500 and Postgres' own
 * words. Every string a client sends (values and keys, at any depth) is checked here first, at the doors
 * (tRPC input, BetterAuth bodies and queries), so no schema can forget it. Iterative, with parent links: a
 * hostile nesting depth can neither overflow the stack nor cost more than one visit per value.
 */
export function pathOfNulCharacter(input: unknown): string | null {
  const pending: Visit[] = [{ value: input, key: null, parent: null }];
  for (let visit = pending.pop(); visit; visit = pending.pop()) {
    const { value } = visit;
    if (typeof value === 'string') {
      if (value.includes('\u0000')) return pathOf(visit);
      continue;
    }
    if (value === null || typeof value !== 'object') continue;
    for (const [key, item] of Object.entries(value)) {
      if (key.includes('\u0000')) return pathOf(visit, key);
      pending.push({ value: item, key, parent: visit });
    }
  }
  return null;
}

export function nulCharacterMessage(path: string): string {
  return `${path}: must not contain the NUL character (\\u0000)`;
}
