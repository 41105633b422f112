import type { ChangeEvent } from './postgres-subscription';

/** A row as Postgres text per column; null = SQL NULL, undefined = unchanged TOAST value not in the WAL. */
export type WalRow = Record<string, string | null | undefined>;

/** One row change of a committed transaction, as decoded from pgoutput. */
export interface WalChange {
  tableOid: number;
  /** The relation as the WAL names it (a partition's own name when its root is not published). */
  schema: string;
  table: string;
  type: ChangeEvent;
  /** The committing transaction (32-bit, as pgoutput sends it). */
  xid: number;
  /** `YYYY-MM-DDTHH:MM:SS.mmmZ`, the commit time Supabase reports. */
  commitTimestamp: string;
  /** INSERT/UPDATE: the new row. */
  newRow: WalRow | null;
  /** UPDATE/DELETE: the replica identity's old row (all columns with REPLICA IDENTITY FULL, else the key). */
  oldRow: WalRow | null;
}
