'use client';

import Link from 'next/link';
import { Icon } from '../ui/icons';

/** Starts a new chat: the empty chat page; the session is created with its first message. */
export function NewSessionButton({ onNavigate }: { onNavigate?: () => void }) {
  return (
    <Link href="/" className="button new-chat" data-testid="new-chat" onClick={onNavigate}>
      <Icon name="plus" /> New chat
    </Link>
  );
}
