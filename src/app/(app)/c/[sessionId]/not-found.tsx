import Link from 'next/link';

/** Someone else's chat, a deleted one and a malformed id all look the same. */
export default function ChatNotFound() {
  return (
    <main className="not-found" data-testid="not-found">
      <h1>Chat not found</h1>
      <p className="muted">This chat does not exist, or it is not yours.</p>
      <Link href="/" className="button">
        Start a new chat
      </Link>
    </main>
  );
}
