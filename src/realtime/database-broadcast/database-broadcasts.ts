import type { WalRow } from '../cdc/wal-change';
import { BroadcastDelivery } from '../channels/broadcast-delivery';
import { type RoomRegistry, roomKey } from '../channels/room-registry';

/** One realtime.messages row as a broadcast: what realtime.send / send_binary wrote. */
export interface StoredBroadcast {
  id: string;
  topic: string;
  event: string;
  isPrivate: boolean;
  /** JSON text (encoding 1) or raw bytes (encoding 0), as the row holds them. */
  encoding: 0 | 1;
  bytes: Buffer;
}

/**
 * A row inserted into realtime.messages, read from the WAL, as Supabase's replication connection reads it
 * (rt `tenants/replication_connection.ex`): rows without an event, id, topic or payload are skipped (the
 * authorization probes have none and are rolled back anyway), as are payloads over `maxPayloadBytes`.
 */
export function storedBroadcastFromWal(row: WalRow, maxPayloadBytes: number): StoredBroadcast | null {
  const { id, topic, event, private: isPrivate, extension, payload, binary_payload: binary } = row;
  if (!id || !topic || !event || !isPrivate || extension !== 'broadcast') return null;
  let encoding: 0 | 1;
  let bytes: Buffer;
  if (typeof binary === 'string') {
    // bytea in the WAL's text form: \x followed by hex digits.
    if (!binary.startsWith('\\x') || (binary.length - 2) / 2 > maxPayloadBytes) return null;
    encoding = 0;
    bytes = Buffer.from(binary.slice(2), 'hex');
  } else if (typeof payload === 'string') {
    if (Buffer.byteLength(payload) > maxPayloadBytes) return null;
    encoding = 1;
    bytes = Buffer.from(payload);
  } else return null;
  return { id, topic, event, isPrivate: isPrivate === 't', encoding, bytes };
}

/**
 * The broadcast as it goes to the topic's room: a user broadcast carrying `meta.id` (kind 4 to vsn 2 clients,
 * JSON to vsn 1, binary payloads not at all to vsn 1), plus `meta.replayed` when replayed at join.
 */
export function storedBroadcastDelivery(message: StoredBroadcast, replayed = false): BroadcastDelivery {
  return new BroadcastDelivery(
    `realtime:${message.topic}`,
    message.event,
    {
      origin: 'user',
      encoding: message.encoding,
      bytes: message.bytes,
      meta: replayed ? { replayed: true, id: message.id } : { id: message.id },
    },
    message.id,
  );
}

/** Delivers committed realtime.messages rows to their rooms; private rows only reach readers of the topic. */
export function deliverStoredBroadcasts(
  rows: WalRow[],
  rooms: RoomRegistry,
  maxPayloadBytes: number,
  log: (line: string) => void,
): void {
  for (const row of rows) {
    const message = storedBroadcastFromWal(row, maxPayloadBytes);
    if (!message) {
      if (row.extension === 'broadcast' && row.event) {
        log(
          `broadcast from database to ${row.topic} skipped: payload missing or over ${maxPayloadBytes} bytes`,
        );
      }
      continue;
    }
    rooms.broadcast(roomKey(message.isPrivate, message.topic), storedBroadcastDelivery(message));
  }
}
