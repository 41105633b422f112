import { randomBytes } from 'node:crypto';
import sharp from 'sharp';
import { describe, expect, it } from 'vitest';
import { GET as openAvatar } from '@/app/api/avatars/[userId]/route';
import { POST as uploadAvatar } from '@/app/api/avatars/route';
import { DEMO_BETTER_AUTH_SECRET } from '@/env';
import { signAvatarUrl } from '@/server/avatars/avatar-url-signature';
import { APP_ORIGIN, anonymousHeaders, callerFor, signUpUser, type TestUser } from '../helpers/users';

const PNG_MAGIC = [0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a];

/** A byte string that starts like a PNG but is none, `size` bytes long. */
function pngLookalike(size = 64): Uint8Array<ArrayBuffer> {
  const bytes = new Uint8Array(size);
  bytes.set(PNG_MAGIC);
  for (let i = PNG_MAGIC.length; i < size; i++) bytes[i] = i % 251;
  return bytes;
}

/** A real picture of `side`×`side` pixels of noise (noise barely compresses: about side² × 3 bytes). */
async function picture(side = 32, format: 'png' | 'jpeg' = 'png'): Promise<Uint8Array<ArrayBuffer>> {
  const pixels = randomBytes(side * side * 3);
  const image = sharp(pixels, { raw: { width: side, height: side, channels: 3 } });
  return new Uint8Array(await (format === 'png' ? image.png() : image.jpeg()).toBuffer());
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

async function uploadedUrl(user: TestUser, bytes?: Uint8Array<ArrayBuffer>): Promise<string> {
  bytes ??= await picture();
  const response = await upload(user.headers, bytes);
  expect(response.status).toBe(201);
  return ((await response.json()) as { url: string }).url;
}

describe('avatars', () => {
  it('stores a PNG and serves it through an expiring signed link, re-encoded as WebP', async () => {
    const user = await signUpUser();
    const bytes = await picture(40);
    const url = await uploadedUrl(user, bytes);
    expect(url).toMatch(/^\/api\/avatars\/.+\?v=[0-9a-f-]{36}&exp=\d+&sig=[\w-]+$/);

    const response = await open(url);
    expect(response.status).toBe(200);
    expect(response.headers.get('content-type')).toBe('image/webp');
    expect(response.headers.get('x-content-type-options')).toBe('nosniff');
    expect(response.headers.get('content-security-policy')).toBe("default-src 'none'; sandbox");
    const served = await sharp(Buffer.from(await response.arrayBuffer())).metadata();
    expect(served).toMatchObject({ format: 'webp', width: 40, height: 40 });

    const fresh = await (await callerFor(user.headers)).avatars.url();
    expect((await open(fresh ?? '')).status).toBe(200);
  });

  it('refuses a picture over 1 MB', async () => {
    const user = await signUpUser();
    const response = await upload(user.headers, pngLookalike(1024 * 1024 + 1));
    expect(response.status).toBe(413);
    expect(await (await callerFor(user.headers)).avatars.url()).toBeNull();
    const justUnder = await picture(580);
    expect(justUnder.byteLength).toBeGreaterThan(1000 * 1000);
    expect(justUnder.byteLength).toBeLessThanOrEqual(1024 * 1024);
    expect((await upload(user.headers, justUnder)).status).toBe(201);
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

    const lookalike = await upload(user.headers, pngLookalike(), 'me.png', 'image/png');
    expect(lookalike.status).toBe(415);
    expect(await lookalike.json()).toEqual({ message: 'The picture could not be read: upload another one' });

    const jpeg = await picture(24, 'jpeg');
    expect((await upload(user.headers, jpeg, 'photo.txt', 'text/plain')).status).toBe(201);
    const served = await open((await (await callerFor(user.headers)).avatars.url()) ?? '');
    expect(served.headers.get('content-type')).toBe('image/webp');
  });

  it('serves none of a polyglot: text chunks, metadata and bytes after the image are gone', async () => {
    const user = await signUpUser();
    const payload = '<html><script>alert(document.cookie)</script></html>';
    const tagged = await sharp(Buffer.from(await picture(32)))
      .withMetadata({ exif: { IFD0: { ImageDescription: payload } } })
      .png()
      .toBuffer();
    const polyglot = new Uint8Array(Buffer.concat([tagged, Buffer.from(payload)]));
    expect(Buffer.from(polyglot).includes(payload)).toBe(true);

    const response = await open(await uploadedUrl(user, polyglot));
    const served = Buffer.from(await response.arrayBuffer());
    expect(served.includes('<script')).toBe(false);
    expect(served.includes('alert')).toBe(false);
    expect(served.subarray(0, 4).toString('latin1')).toBe('RIFF');
    expect(await sharp(served).metadata()).toMatchObject({ format: 'webp', width: 32, hasProfile: false });
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
    const first = await uploadedUrl(user, await picture(10));
    const second = await uploadedUrl(user, await picture(20));
    expect((await open(first)).status).toBe(403);
    expect((await open(second)).status).toBe(200);
    expect(await (await callerFor(user.headers)).avatars.remove()).toEqual({ removed: true });
    expect((await open(second)).status).toBe(403);
  });

  it('refuses uploads without a session or from another site', async () => {
    expect((await upload(anonymousHeaders(), await picture())).status).toBe(401);
    const user = await signUpUser();
    const crossSite = new Headers(user.headers);
    crossSite.set('origin', 'https://evil.example');
    expect((await upload(crossSite, await picture())).status).toBe(403);
  });
});
