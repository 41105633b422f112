'use client';

import { useOtherDevicesOnThisChat } from '@/client/use-presence';
import { deviceNoun } from '@/client/use-presence-state';
import './also-open-marker.css';

/** A quiet line above the composer when another of the user's devices has this chat open (presence). */
export function AlsoOpenMarker() {
  const others = useOtherDevicesOnThisChat();
  if (others.length === 0) return null;
  const where =
    others.length === 1 && others[0] ? deviceNoun(others[0].device) : `${others.length} other devices`;
  return (
    <p className="also-open" data-testid="also-open">
      <span className="also-open-dot" aria-hidden="true" />
      Also open on {where}
    </p>
  );
}
