import { redirect } from 'next/navigation';
import type { ReactNode } from 'react';
import { currentSession } from '@/app/current-session';
import { SESSION_PAGE_SIZE } from '@/client/session-page';
import { AppShell } from '@/components/shell/app-shell';
import { env } from '@/env';

export const dynamic = 'force-dynamic';

export default async function SignedInLayout({ children }: { children: ReactNode }) {
  const { ctx, caller } = await currentSession();
  if (!ctx.session) redirect('/sign-in');
  const config = {
    supabaseUrl: env().NEXT_PUBLIC_SUPABASE_URL,
    anonKey: env().NEXT_PUBLIC_SUPABASE_ANON_KEY,
  };
  // The sidebar and the model picker are rendered with the page, never blank while scripts load.
  const [sessions, models, avatarUrl] = await Promise.all([
    caller.sessions.list({ limit: SESSION_PAGE_SIZE }),
    caller.models.list(),
    caller.avatars.url(),
  ]);
  return (
    <AppShell
      config={config}
      user={{ id: ctx.session.user.id, email: ctx.session.user.email, avatarUrl }}
      initialSessions={sessions}
      models={models}
    >
      {children}
    </AppShell>
  );
}
