import { env } from '@/env';
import { devMailbox } from '@/server/mail/dev-mailbox';
import { loggedRoute } from '@/server/observability/route-log';

export const dynamic = 'force-dynamic';

function escapeHtml(text: string): string {
  return text.replace(/[&<>"']/g, (c) => `&#${c.charCodeAt(0)};`);
}

/** Development only: the mails the app "sent" (newest first), as a page, or as JSON with ?format=json. */
export const GET = loggedRoute('/api/dev/mailbox', async (request) => {
  if (env().NODE_ENV === 'production') return new Response('Not found', { status: 404 });
  const url = new URL(request.url);
  const mails = devMailbox.list(url.searchParams.get('to') ?? undefined);
  if (url.searchParams.get('format') === 'json') {
    return Response.json({ mails }, { headers: { 'cache-control': 'no-store' } });
  }
  const items = mails
    .map(
      (mail) => `<article><h2>${escapeHtml(mail.subject)}</h2>
<p>To ${escapeHtml(mail.to)} · ${mail.sentAt.toISOString()}</p>
<pre>${escapeHtml(mail.text).replace(/(https?:\/\/[^\s<]+)/g, '<a href="$1">$1</a>')}</pre></article>`,
    )
    .join('\n');
  const page = `<!doctype html><html lang="en"><head><meta charset="utf-8"><title>Dev mailbox · ChatTwelve</title>
<style>body{font:15px system-ui;max-width:50rem;margin:2rem auto;padding:0 1rem}article{border-top:1px solid #ccc}
pre{white-space:pre-wrap}</style></head><body><h1>Dev mailbox</h1>
<p>Mails this development server sent (kept in memory, newest first). Set SMTP_URL to send real mail.</p>
${items || '<p>No mail yet.</p>'}</body></html>`;
  return new Response(page, {
    headers: { 'content-type': 'text/html; charset=utf-8', 'cache-control': 'no-store' },
  });
});
