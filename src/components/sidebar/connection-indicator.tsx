'use client';

import { useConnectionStatus } from '@/client/use-connection-status';

const labels = { connected: 'Connected', connecting: 'Connecting…', offline: 'Offline' } as const;

export function ConnectionIndicator() {
  const status = useConnectionStatus();
  return (
    <span
      className={`connection ${status}`}
      data-testid="connection-status"
      data-status={status}
      role="status"
    >
      <span className="dot" aria-hidden="true" />
      {labels[status]}
    </span>
  );
}
