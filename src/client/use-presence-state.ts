/**
 * What a tab tracks on the presence topics (@/shared/realtime-topics) and reading it back. Policies in
 * prisma-free-migrations/0022_presence.sql decide who may join, see and track each topic.
 */

/** What one tab tracks on its user's devices topic. */
export interface DevicePresenceMeta {
  /** "Firefox on Windows": how another device of the user names this one. */
  device: string;
  /** The chat the tab shows, or null. */
  chat: string | null;
}

/** One device of the user with the app open, in one or more tabs. */
export interface OnlineDevice {
  id: string;
  device: string;
  /** Chats open in its tabs. */
  chats: string[];
}

// Bounds on what is tracked and on what is believed of what others tracked (the server caps a meta at 64 KiB).
const MAX_DEVICE_LABEL = 60;
const MAX_ID = 128;
const MAX_TABS_READ = 20;

export function devicePresenceMeta(device: string, chat: string | null): DevicePresenceMeta {
  return { device: device.slice(0, MAX_DEVICE_LABEL), chat: chat && chat.length <= MAX_ID ? chat : null };
}

/** "Chrome 140" + "Linux" → "Chrome on Linux": versions mean nothing to a person. */
export function deviceLabel(browser: string, os: string | null): string {
  const name = browser.replace(/\s+\d+$/, '');
  return os ? `${name} on ${os}` : name;
}

/** Phones and tablets are "your phone"; anything else by browser and system. */
export function deviceNoun(device: string): string {
  return /\b(iOS|Android)$/.test(device) ? 'your phone' : device;
}

/** The chat id of an app path (`/c/<id>`), or null. */
export function chatIdOfPath(pathname: string | null): string | null {
  const match = /^\/c\/([^/?#]+)/.exec(pathname ?? '');
  return match?.[1] ? decodeURIComponent(match[1]) : null;
}

type PresenceState = Record<string, unknown[]>;

/** The devices in a devices-topic presence state; metas of the wrong shape are skipped. */
export function onlineDevices(state: PresenceState): OnlineDevice[] {
  const devices: OnlineDevice[] = [];
  for (const [id, metas] of Object.entries(state)) {
    if (id.length > MAX_ID || !Array.isArray(metas)) continue;
    let device: string | null = null;
    const chats = new Set<string>();
    for (const meta of metas.slice(0, MAX_TABS_READ)) {
      if (!meta || typeof meta !== 'object') continue;
      const fields = meta as Record<string, unknown>;
      if (typeof fields.device === 'string' && device === null)
        device = fields.device.slice(0, MAX_DEVICE_LABEL);
      if (typeof fields.chat === 'string' && fields.chat.length <= MAX_ID) chats.add(fields.chat);
    }
    devices.push({ id, device: device ?? 'another device', chats: [...chats] });
  }
  return devices;
}
