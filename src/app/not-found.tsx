import Link from 'next/link';

export default function NotFound() {
  return (
    <main className="not-found" data-testid="not-found">
      <h1>Not found</h1>
      <p className="muted">This chat does not exist, or it is not yours.</p>
      <Link href="/" className="button">
        Start a new chat
      </Link>
    </main>
  );
}
