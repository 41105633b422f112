'use client';

import Link from 'next/link';
import { SignOutButton } from '../auth/sign-out-button';
import { UserAvatar } from '../ui/user-avatar';
import { ConnectionIndicator } from './connection-indicator';
import { NewSessionButton } from './new-session-button';
import { SessionList } from './session-list';
import { SessionSearch } from './session-search';

interface SidebarProps {
  email: string;
  avatarUrl: string | null;
  open: boolean;
  onNavigate(): void;
}

export function Sidebar({ email, avatarUrl, open, onNavigate }: SidebarProps) {
  return (
    <nav
      id="sidebar"
      className={open ? 'sidebar open' : 'sidebar'}
      aria-label="Chat history"
      data-testid="sidebar"
    >
      <div className="sidebar-top">
        <Link href="/" className="brand" onClick={onNavigate}>
          ChatTwelve
        </Link>
        <NewSessionButton onNavigate={onNavigate} />
        <SessionSearch />
      </div>
      <SessionList onNavigate={onNavigate} />
      <div className="sidebar-bottom">
        <ConnectionIndicator />
        <div className="signed-in-row">
          <UserAvatar url={avatarUrl} name={email} className="small-avatar" testId="sidebar-avatar" />
          <p className="muted small signed-in" data-testid="signed-in-as" title={email}>
            {email}
          </p>
        </div>
        <div className="row">
          <Link href="/settings" className="button secondary small" onClick={onNavigate}>
            Settings
          </Link>
          <SignOutButton />
        </div>
      </div>
    </nav>
  );
}
