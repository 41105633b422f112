import { env } from '@/env';
import { auth } from '@/server/auth';
import { AVATAR_MAX_BYTES, AvatarRejectedError, avatarsService } from '@/server/avatars/avatars.service';
import { db } from '@/server/db';
import { loggedRoute } from '@/server/observability/route-log';

export const dynamic = 'force-dynamic';

/** Room for the multipart envelope around a largest allowed file. */
const MAX_BODY_BYTES = AVATAR_MAX_BYTES + 16 * 1024;

function refuse(status: number, message: string): Response {
  return Response.json({ message }, { status });
}

/** Upload of the signed-in user's avatar: multipart/form-data with the picture in field `file`. */
export const POST = loggedRoute('/api/avatars', async (request) => {
  // Cookies ride along on any cross-site POST a browser makes: only the app's own pages may upload.
  if (request.headers.get('origin') !== new URL(env().APP_URL).origin)
    return refuse(403, 'Cross-origin request refused');
  const session = await auth().api.getSession({ headers: request.headers });
  if (!session) return refuse(401, 'Sign in to continue');
  // Refused before reading: a declared length over the limit, or none at all.
  const declared = Number(request.headers.get('content-length'));
  if (!Number.isFinite(declared) || declared <= 0) return refuse(411, 'Send the file with its length');
  if (declared > MAX_BODY_BYTES) return refuse(413, 'The picture is larger than 1 MB');
  const form = await request.formData().catch(() => null);
  const file = form?.get('file');
  if (!(file instanceof File)) return refuse(400, 'Send the picture as form field "file"');
  try {
    const uploaded = await avatarsService.upload(
      db(),
      env().BETTER_AUTH_SECRET,
      session.user.id,
      new Uint8Array(await file.arrayBuffer()),
    );
    return Response.json(uploaded, { status: 201 });
  } catch (error) {
    if (error instanceof AvatarRejectedError)
      return refuse(error.reason === 'too-large' ? 413 : 415, error.message);
    throw error;
  }
});
