import { describe, expect, it } from 'vitest';
import { GET as openAvatar } from '@/app/api/avatars/[userId]/route';
import { POST as uploadAvatar } from '@/app/api/avatars/route';
import { DEMO_BETTER_AUTH_SECRET } from '@/env';
import { signAvatarUrl } from '@/server/avatars/avatar-url-signature';
import { APP_ORIGIN, anonymousHeaders, callerFor, signUpUser, type TestUser } from '../helpers/users';

const PNG_MAGIC = [0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a];

/** A byte string that starts like a PNG (what the server checks), `size` bytes long. */
function pngBytes(size = 64): Uint8Array<ArrayBuffer> {
  const bytes = new Uint8Array(size);
  bytes.set(PNG_MAGIC);
  for (let i = PNG_MAGIC.length; i < size; i++) bytes[i] = i % 251;
  return bytes;
}

/** What the browser sends for <input type=file>: multipart with the file's name and claimed type. */
async function upload(
  headers: Headers,
  content: Uint8Array<ArrayBuffer> | string,
  name = 'me.png',
  type = 'image/png',
) {
  const form = new FormData();
  form.set('file', new File([content], name, { type }));
  const body = new Request(`${APP_ORIGIN}/api/avatars`, { method: 'POST', body: form });
  const bytes = new Uint8Array(await body.arrayBuffer());
  const request = new Request(`${APP_ORIGIN}/api/avatars`, {
    method: 'POST',
    headers: {
      ...Object.fromEntries(headers),
      'content-type': body.headers.get('content-type') ?? '',
      'content-length': String(bytes.byteLength),
    },
    body: bytes,
  });
  return uploadAvatar(request, {});
}

function open(url: string) {
  const full = new URL(url, APP_ORIGIN);
  const userId = decodeURIComponent(full.pathname.split('/').at(-1) ?? '');
  return openAvatar(new Request(full), { params: Promise.resolve({ userId }) });
}

async function uploadedUrl(user: TestUser, bytes = pngBytes()): Promise<string> {
  const response = await upload(user.headers, bytes);
  expect(response.status).toBe(201);
  return ((await response.json()) as { url: string }).url;
}

describe('avatars', () => {
  it('stores a PNG and serves it through an expiring signed link, as the picture itself', async () => {
    const user = await signUpUser();
    const bytes = pngBytes(2048);
    const url = await uploadedUrl(user, bytes);
    expect(url).toMatch(/^\/api\/avatars\/.+\?v=[0-9a-f-]{36}&exp=\d+&sig=[\w-]+$/);

    const response = await open(url);
    expect(response.status).toBe(200);
    expect(response.headers.get('content-type')).toBe('image/png');
    expect(response.headers.get('x-content-type-options')).toBe('nosniff');
    expect(new Uint8Array(await response.arrayBuffer())).toEqual(bytes);

    const fresh = await (await callerFor(user.headers)).avatars.url();
    expect((await open(fresh ?? '')).status).toBe(200);
  });

  it('refuses a picture over 1 MB', async () => {
    const user = await signUpUser();
    const response = await upload(user.headers, pngBytes(1024 * 1024 + 1));
    expect(response.status).toBe(413);
    expect(await (await callerFor(user.headers)).avatars.url()).toBeNull();
    expect((await upload(user.headers, pngBytes(1024 * 1024))).status).toBe(201);
  });

  it('refuses HTML named and typed as a PNG, and anything else that is not PNG, JPEG or WebP by content', async () => {
    const user = await signUpUser();
    const html = '<html><body><script>alert(document.cookie)</script></body></html>';
    const response = await upload(user.headers, html, 'avatar.png', 'image/png');
    expect(response.status).toBe(415);
    expect(await response.json()).toEqual({ message: 'Upload a PNG, JPEG or WebP picture' });
    expect(
      (await upload(user.headers, new Uint8Array([0x47, 0x49, 0x46, 0x38]), 'a.gif', 'image/gif')).status,
    ).toBe(415);
    expect(await (await callerFor(user.headers)).avatars.url()).toBeNull();

    const jpeg = new Uint8Array([0xff, 0xd8, 0xff, 0xe0, 1, 2, 3]);
    expect((await upload(user.headers, jpeg, 'photo.txt', 'text/plain')).status).toBe(201);
    const served = await open((await (await callerFor(user.headers)).avatars.url()) ?? '');
    expect(served.headers.get('content-type')).toBe('image/jpeg');
  });

  it('refuses an expired link, an altered one, and one moved to another user', async () => {
    const alice = await signUpUser('Alice');
    const bob = await signUpUser('Bob');
    const url = new URL(await uploadedUrl(alice), APP_ORIGIN);
    await uploadedUrl(bob);
    const version = url.searchParams.get('v') ?? '';

    const expired = signAvatarUrl(DEMO_BETTER_AUTH_SECRET, {
      userId: alice.id,
      version,
      expires: Math.floor(Date.now() / 1000) - 1,
    });
    expect((await open(expired)).status).toBe(403);

    const longer = new URL(url);
    longer.searchParams.set('exp', String(Number(url.searchParams.get('exp')) + 86_400));
    expect((await open(longer.toString())).status).toBe(403);

    const moved = new URL(url);
    moved.pathname = `/api/avatars/${encodeURIComponent(bob.id)}`;
    expect((await open(moved.toString())).status).toBe(403);

    const unsigned = new URL(url);
    unsigned.search = '';
    expect((await open(unsigned.toString())).status).toBe(403);
  });

  it('stops serving the old picture once a new one is uploaded, and nothing once removed', async () => {
    const user = await signUpUser();
    const first = await uploadedUrl(user, pngBytes(100));
    const second = await uploadedUrl(user, pngBytes(200));
    expect((await open(first)).status).toBe(403);
    expect((await open(second)).status).toBe(200);
    expect(await (await callerFor(user.headers)).avatars.remove()).toEqual({ removed: true });
    expect((await open(second)).status).toBe(403);
  });

  it('refuses uploads without a session or from another site', async () => {
    expect((await upload(anonymousHeaders(), pngBytes())).status).toBe(401);
    const user = await signUpUser();
    const crossSite = new Headers(user.headers);
    crossSite.set('origin', 'https://evil.example');
    expect((await upload(crossSite, pngBytes())).status).toBe(403);
  });
});
