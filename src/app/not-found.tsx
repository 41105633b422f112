import type { Metadata } from 'next';
import Link from 'next/link';

export const metadata: Metadata = { title: 'Page not found · ChatTwelve' };

/** Any address the app does not have (a missing chat has its own page under /c). */
export default function NotFound() {
  return (
    <main className="not-found" data-testid="not-found">
      <h1>Page not found</h1>
      <p className="muted">There is nothing at this address.</p>
      <Link href="/" className="button">
        Go to your chats
      </Link>
    </main>
  );
}
