import { randomBytes } from 'node:crypto';

type Meta = Record<string, unknown> & { phx_ref: string };

interface Presence {
  key: string;
  meta: Meta;
  /** The tracked payload as JSON, kept to recognise the same payload tracked again without re-serialising. */
  payloadJson: string;
}

export interface PresenceDiff {
  joins: Record<string, { metas: Meta[] }>;
  leaves: Record<string, { metas: Meta[] }>;
}

/**
 * Who is present in one room, in Phoenix.Presence's shapes: each tracking channel contributes one meta under
 * its presence key; several channels may share a key (one user, several tabs).
 */
export class PresenceRoom {
  private readonly byMember = new Map<number, Presence>();

  state(): Record<string, { metas: Meta[] }> {
    const state: Record<string, { metas: Meta[] }> = {};
    for (const { key, meta } of this.byMember.values()) {
      const entry = state[key] ?? { metas: [] };
      entry.metas.push(meta);
      state[key] = entry;
    }
    return state;
  }

  /**
   * Returns the diff to announce, or null when nothing changed (same payload tracked again). `payloadJson`
   * is the caller's serialisation of `payload`: a payload that cannot be serialised never gets here.
   */
  track(
    memberId: number,
    key: string,
    payload: Record<string, unknown>,
    payloadJson: string,
  ): PresenceDiff | null {
    const previous = this.byMember.get(memberId);
    if (previous && previous.payloadJson === payloadJson) return null;
    const meta: Meta = { ...payload, phx_ref: newRef() };
    if (previous) meta.phx_ref_prev = previous.meta.phx_ref;
    this.byMember.set(memberId, { key, meta, payloadJson });
    return {
      joins: { [key]: { metas: [meta] } },
      leaves: previous ? { [previous.key]: { metas: [previous.meta] } } : {},
    };
  }

  untrack(memberId: number): PresenceDiff | null {
    const previous = this.byMember.get(memberId);
    if (!previous) return null;
    this.byMember.delete(memberId);
    return { joins: {}, leaves: { [previous.key]: { metas: [previous.meta] } } };
  }
}

/** Phoenix refs are opaque unique strings; base64url of random bytes serves. */
function newRef(): string {
  return randomBytes(9).toString('base64url');
}
