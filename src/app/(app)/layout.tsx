import { redirect } from 'next/navigation';
import type { ReactNode } from 'react';
import { currentSession } from '@/app/current-session';
import { AppShell } from '@/components/shell/app-shell';
import { env } from '@/env';

export const dynamic = 'force-dynamic';

export default async function SignedInLayout({ children }: { children: ReactNode }) {
  const { ctx } = await currentSession();
  if (!ctx.session) redirect('/sign-in');
  const config = {
    supabaseUrl: env().NEXT_PUBLIC_SUPABASE_URL,
    anonKey: env().NEXT_PUBLIC_SUPABASE_ANON_KEY,
  };
  return (
    <AppShell config={config} user={{ id: ctx.session.user.id, email: ctx.session.user.email }}>
      {children}
    </AppShell>
  );
}
