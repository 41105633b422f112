'use client';

import { useRouter } from 'next/navigation';
import { useState } from 'react';
import { trpc } from '@/client/trpc-client';

export function NewSessionButton() {
  const router = useRouter();
  const [pending, setPending] = useState(false);
  return (
    <button
      type="button"
      data-testid="new-chat"
      disabled={pending}
      onClick={async () => {
        setPending(true);
        await trpc.sessions.create.mutate({});
        setPending(false);
        router.refresh();
      }}
    >
      New chat
    </button>
  );
}
