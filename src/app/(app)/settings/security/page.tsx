import type { Metadata } from 'next';
import Link from 'next/link';
import { currentSession } from '@/app/current-session';
import { ChatExportPanel } from '@/components/account/chat-export-panel';
import { DeleteAccount } from '@/components/account/delete-account';
import { DevicesList } from '@/components/account/devices-list';
import { TwoFactorSettings } from '@/components/account/two-factor-settings';
import { SettingsNav } from '@/components/settings/settings-nav';
import { isAdminRole } from '@/shared/admin-role';
import '@/components/account/account-panels.css';

export const metadata: Metadata = { title: 'Security · ChatTwelve' };

export default async function SecuritySettingsPage() {
  const { ctx, caller } = await currentSession();
  const [devices, exports] = await Promise.all([caller.devices.list(), caller.exports.list()]);
  return (
    <main className="settings" aria-label="Security settings">
      <SettingsNav current="/settings/security" />
      <div className="settings-inner">
        <p className="small">
          <Link href="/settings">← Settings</Link>
          {isAdminRole(ctx.session?.user.role) && (
            <>
              {' · '}
              <Link href="/admin" data-testid="admin-link">
                Admin console
              </Link>
            </>
          )}
        </p>
        <h1>Account and security</h1>
        <TwoFactorSettings initiallyEnabled={ctx.session?.user.twoFactorEnabled === true} />
        <DevicesList initial={devices} />
        <ChatExportPanel latest={exports[0] ?? null} />
        <DeleteAccount />
      </div>
    </main>
  );
}
