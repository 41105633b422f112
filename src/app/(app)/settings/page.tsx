import type { Metadata } from 'next';
import { currentSession } from '@/app/current-session';
import { ProfileForm } from '@/components/settings/profile-form';
import { SettingsNav } from '@/components/settings/settings-nav';
import { SystemPrompts } from '@/components/settings/system-prompts';
import { shortcutList } from '@/components/shell/shortcut-list';
import { ThemePicker } from '@/components/ui/theme-picker';

export const metadata: Metadata = { title: 'Settings · ChatTwelve' };

export default async function SettingsPage() {
  const { caller } = await currentSession();
  const [profile, prompts, avatarUrl] = await Promise.all([
    caller.profile.get(),
    caller.prompts.list(),
    caller.avatars.url(),
  ]);
  return (
    <main className="settings" aria-label="Settings" data-testid="settings-page">
      <SettingsNav current="/settings" />
      <div className="settings-inner">
        <h1>Settings</h1>
        <a href="/settings/security" data-testid="security-settings-link">
          Account and security: two-factor, devices, export, delete →
        </a>
        <ProfileForm initial={profile} avatarUrl={avatarUrl} />
        <section aria-labelledby="appearance-heading">
          <h2 id="appearance-heading">Appearance</h2>
          <ThemePicker />
        </section>
        <SystemPrompts initial={prompts} />
        <section aria-labelledby="shortcuts-heading">
          <h2 id="shortcuts-heading">Keyboard shortcuts</h2>
          <dl>
            {shortcutList.map((shortcut) => (
              <div key={shortcut.keys} className="row">
                <dt>
                  <kbd>{shortcut.keys}</kbd>
                </dt>
                <dd>{shortcut.action}</dd>
              </div>
            ))}
          </dl>
        </section>
      </div>
    </main>
  );
}
