'use client';

import { useState } from 'react';
import type { Device } from '@/client/account-api-types';
import { meaningfulAddress } from '@/client/device-address';
import { errorMessage } from '@/client/error-message';
import { trpc } from '@/client/trpc-client';
import { useOnlineDevices } from '@/client/use-presence';
import { LocalTime } from './local-time';

/**
 * The user's signed-in devices (BetterAuth sessions), those with the app open now marked (Realtime presence):
 * revoke one, or sign out everywhere else.
 */
export function DevicesList({ initial }: { initial: Device[] }) {
  const [devices, setDevices] = useState(initial);
  const [error, setError] = useState<string | null>(null);
  const [pending, setPending] = useState(false);
  const others = devices.filter((device) => !device.current);
  const online = new Set(useOnlineDevices().devices.map((device) => device.id));

  async function run(action: () => Promise<unknown>) {
    setPending(true);
    setError(null);
    try {
      await action();
      setDevices(await trpc.devices.list.query());
    } catch (cause) {
      setError(errorMessage(cause, 'Could not update your devices'));
    } finally {
      setPending(false);
    }
  }

  return (
    <section aria-labelledby="devices-heading" data-testid="devices">
      <h2 id="devices-heading">Devices</h2>
      <p className="muted small">Where your account is signed in. Revoking a device signs it out at once.</p>
      <ul className="account-list">
        {devices.map((device) => {
          const address = meaningfulAddress(device.ipAddress);
          return (
            <li
              key={device.id}
              className="row"
              data-testid="device"
              data-current={device.current}
              data-online={device.current || online.has(device.id)}
            >
              <div className="account-list-main">
                <strong>
                  {device.browser}
                  {device.os ? ` on ${device.os}` : ''}
                </strong>
                {device.current && <span className="badge">This device</span>}
                <div className="muted small">
                  {device.current ? (
                    'Active now'
                  ) : online.has(device.id) ? (
                    <span className="online-now" data-testid="device-online">
                      Online now
                    </span>
                  ) : (
                    <>
                      Last active <LocalTime value={device.lastSeenAt} />
                    </>
                  )}
                  {address ? ` · ${address}` : ''}
                </div>
              </div>
              {!device.current && (
                <button
                  type="button"
                  className="secondary"
                  disabled={pending}
                  onClick={() => run(() => trpc.devices.revoke.mutate({ id: device.id }))}
                  data-testid="device-revoke"
                >
                  Revoke
                </button>
              )}
            </li>
          );
        })}
      </ul>
      {others.length > 0 && (
        <button
          type="button"
          className="secondary"
          disabled={pending}
          onClick={() => run(() => trpc.devices.revokeOthers.mutate())}
          data-testid="devices-revoke-others"
        >
          Sign out all other devices
        </button>
      )}
      {error && (
        <p className="error small" role="alert">
          {error}
        </p>
      )}
    </section>
  );
}
