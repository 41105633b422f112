import { env } from '@/env';
import { avatarsService } from '@/server/avatars/avatars.service';
import { db } from '@/server/db';
import { loggedRoute } from '@/server/observability/route-log';

export const dynamic = 'force-dynamic';

/** Serves an avatar to whoever holds a valid signed link; anything else is 403, whatever exists. */
export const GET = loggedRoute<{ params: Promise<{ userId: string }> }>(
  '/api/avatars/[userId]',
  async (request, { params }) => {
    const { userId } = await params;
    const image = await avatarsService.imageFor(
      db(),
      env().BETTER_AUTH_SECRET,
      userId,
      new URL(request.url).searchParams,
    );
    if (!image) return Response.json({ message: 'This link is invalid or has expired' }, { status: 403 });
    return new Response(new Uint8Array(image.bytes), {
      headers: {
        'content-type': image.contentType,
        'cache-control': 'private, max-age=3600',
        'x-content-type-options': 'nosniff',
        // Even if a browser opened it as a document, nothing in it may run.
        'content-security-policy': "default-src 'none'; sandbox",
      },
    });
  },
);
