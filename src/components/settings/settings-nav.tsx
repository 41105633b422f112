import Link from 'next/link';

/** Every settings section, on the two settings pages; a link jumps to its heading. */
const pages = [
  {
    href: '/settings',
    label: 'Settings',
    sections: [
      ['profile-heading', 'Profile'],
      ['appearance-heading', 'Appearance'],
      ['prompts-heading', 'System prompts'],
      ['shortcuts-heading', 'Shortcuts'],
    ],
  },
  {
    href: '/settings/security',
    label: 'Account and security',
    sections: [
      ['two-factor-heading', 'Two-factor'],
      ['devices-heading', 'Devices'],
      ['export-heading', 'Export'],
      ['delete-account-heading', 'Delete account'],
    ],
  },
] as const;

/** Section navigation for settings: a sticky column beside the sections, a scrolling row on a phone. */
export function SettingsNav({ current }: { current: '/settings' | '/settings/security' }) {
  return (
    <nav className="settings-nav" aria-label="Settings sections" data-testid="settings-nav">
      {pages.map((page) => (
        <div key={page.href} className="settings-nav-group">
          <Link href={page.href} aria-current={page.href === current ? 'page' : undefined}>
            {page.label}
          </Link>
          <ul>
            {page.sections.map(([id, label]) => (
              <li key={id}>
                <Link href={`${page.href}#${id}`}>{label}</Link>
              </li>
            ))}
          </ul>
        </div>
      ))}
    </nav>
  );
}
