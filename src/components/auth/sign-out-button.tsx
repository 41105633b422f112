'use client';

import { useRouter } from 'next/navigation';
import { useState } from 'react';
import { forgetSavedPages } from '@/client/offline/saved-pages';

/**
 * Signs out through BetterAuth's endpoint directly: the chat pages then need no auth client library
 * (the sign-in and sign-up pages load it).
 */
export function SignOutButton() {
  const router = useRouter();
  const [pending, setPending] = useState(false);
  return (
    <button
      type="button"
      className="secondary small"
      data-testid="sign-out"
      disabled={pending}
      onClick={async () => {
        setPending(true);
        try {
          await fetch('/api/auth/sign-out', {
            method: 'POST',
            headers: { 'content-type': 'application/json' },
            body: '{}',
            credentials: 'same-origin',
          });
        } finally {
          // The chats saved for offline reading go with the session: the next person must not read them.
          await forgetSavedPages().catch(() => {});
          router.replace('/sign-in');
          router.refresh();
        }
      }}
    >
      Sign out
    </button>
  );
}
