import { headers } from 'next/headers';
import { AuthForms } from '@/components/auth/auth-forms';
import { SignOutButton } from '@/components/auth/sign-out-button';
import { NewSessionButton } from '@/components/sidebar/new-session-button';
import { createCaller } from '@/server/router';
import { createContext } from '@/server/trpc';

export const dynamic = 'force-dynamic';

export default async function HomePage() {
  const ctx = await createContext({ headers: await headers(), resHeaders: new Headers() });
  if (!ctx.session) {
    return (
      <main>
        <AuthForms />
      </main>
    );
  }
  const { items } = await createCaller(ctx).sessions.list({ limit: 50 });
  return (
    <main>
      <div className="row">
        <h1>ChatTwelve</h1>
        <SignOutButton />
      </div>
      <p className="muted" data-testid="signed-in-as">
        Signed in as {ctx.session.user.email}
      </p>
      <div className="row">
        <h2>Your chats</h2>
        <NewSessionButton />
      </div>
      {items.length === 0 ? (
        <p className="muted">No chats yet.</p>
      ) : (
        <ul className="sessions" data-testid="sidebar">
          {items.map((session) => (
            <li key={session.id} data-testid="sidebar-session">
              <span>{session.title}</span>
              <time className="muted" dateTime={session.lastMessageAt.toISOString()}>
                {session.lastMessageAt.toLocaleString('en')}
              </time>
            </li>
          ))}
        </ul>
      )}
    </main>
  );
}
