'use client';

import { useRouter } from 'next/navigation';
import { authClient } from '@/client/auth-client';

export function SignOutButton() {
  const router = useRouter();
  return (
    <button
      type="button"
      className="secondary small"
      data-testid="sign-out"
      onClick={async () => {
        await authClient.signOut();
        router.replace('/sign-in');
        router.refresh();
      }}
    >
      Sign out
    </button>
  );
}
