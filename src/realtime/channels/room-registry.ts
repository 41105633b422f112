import type { BroadcastDelivery } from './broadcast-delivery';
import { PresenceRoom } from './presence-room';

/** What a room needs from a joined channel; implemented by RealtimeChannel. */
export interface RoomMember {
  readonly id: number;
  readonly topic: string;
  readonly presenceKey: string;
  /** Broadcast read was granted (always true on public channels). */
  canReceiveBroadcast(): boolean;
  canReceivePresence(): boolean;
  deliverBroadcast(delivery: BroadcastDelivery): void;
  sendFanOut(event: string, payloadJson: string): void;
}

/** Public and private channels of the same name are different rooms, as in Supabase. */
export function roomKey(isPrivate: boolean, subTopic: string): string {
  return `${isPrivate ? 'private' : 'public'}:${subTopic}`;
}

class Room {
  readonly members = new Set<RoomMember>();
  readonly presence = new PresenceRoom();
}

/**
 * Every room of the server. Fan-out and leaving never throw: one member whose delivery fails is logged and
 * skipped, so a socket's close (which leaves its rooms) cannot take the process or the other members down.
 */
export class RoomRegistry {
  private readonly rooms = new Map<string, Room>();

  constructor(private readonly log: (line: string) => void = () => {}) {}

  join(key: string, member: RoomMember): void {
    let room = this.rooms.get(key);
    if (!room) {
      room = new Room();
      this.rooms.set(key, room);
    }
    room.members.add(member);
  }

  leave(key: string, member: RoomMember): void {
    const room = this.rooms.get(key);
    if (!room) return;
    room.members.delete(member);
    this.untrack(key, member);
    if (room.members.size === 0) this.rooms.delete(key);
  }

  broadcast(key: string, delivery: BroadcastDelivery, except?: RoomMember): number {
    const room = this.rooms.get(key);
    if (!room) return 0;
    let delivered = 0;
    for (const member of room.members) {
      if (member === except || !member.canReceiveBroadcast()) continue;
      try {
        member.deliverBroadcast(delivery);
        delivered++;
      } catch (error) {
        this.log(`broadcast to ${member.topic} failed: ${(error as Error).message}`);
      }
    }
    return delivered;
  }

  presenceState(key: string): Record<string, unknown> {
    return this.rooms.get(key)?.presence.state() ?? {};
  }

  track(key: string, member: RoomMember, meta: Record<string, unknown>, metaJson: string): void {
    const diff = this.rooms.get(key)?.presence.track(member.id, member.presenceKey, meta, metaJson);
    if (diff) this.sendPresenceDiff(key, diff);
  }

  untrack(key: string, member: RoomMember): void {
    const diff = this.rooms.get(key)?.presence.untrack(member.id);
    if (diff) this.sendPresenceDiff(key, diff);
  }

  private sendPresenceDiff(key: string, diff: unknown): void {
    const room = this.rooms.get(key);
    if (!room) return;
    let payloadJson: string;
    try {
      payloadJson = JSON.stringify(diff);
    } catch (error) {
      // Metas are serialised when tracked, so this is a bug; it costs one diff, never the process.
      this.log(`presence_diff for ${key} could not be serialised: ${(error as Error).message}`);
      return;
    }
    for (const member of room.members) {
      if (!member.canReceivePresence()) continue;
      try {
        member.sendFanOut('presence_diff', payloadJson);
      } catch (error) {
        this.log(`presence_diff to ${member.topic} failed: ${(error as Error).message}`);
      }
    }
  }
}
