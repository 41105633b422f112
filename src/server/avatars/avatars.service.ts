import 'server-only';
import type { DB } from '../db';
import { type AvatarContentType, sniffAvatarType } from './avatar-image-type';
import { reencodeAvatar } from './avatar-reencoding';
import { signAvatarUrl, verifyAvatarUrl } from './avatar-url-signature';
import { avatarsRepository } from './avatars.repository';

export const AVATAR_MAX_BYTES = 1024 * 1024;
/** How long a handed-out avatar link works. */
export const AVATAR_URL_LIFETIME_SECONDS = 60 * 60;
/** How long a link handed out in a list stays the same (see linkTo). */
const LIST_LINK_STEP_MS = 10 * 60 * 1000;

/** Why an upload was refused, in words for the user; the route answers 413 or 415. */
export class AvatarRejectedError extends Error {
  constructor(
    readonly reason: 'too-large' | 'unsupported-type' | 'empty',
    message: string,
  ) {
    super(message);
    this.name = 'AvatarRejectedError';
  }
}

function linkFor(secret: string, userId: string, version: string, now: Date): string {
  const expires = Math.floor(now.getTime() / 1000) + AVATAR_URL_LIFETIME_SECONDS;
  return signAvatarUrl(secret, { userId, version, expires });
}

export const avatarsService = Object.freeze({
  /**
   * Stores the user's new picture once its bytes prove it is a PNG, JPEG or WebP of at most 1 MiB that
   * decodes; what is stored is always our own re-encoding (WebP), never the uploaded bytes.
   */
  async upload(
    db: DB,
    secret: string,
    userId: string,
    bytes: Uint8Array,
    now = new Date(),
  ): Promise<{ url: string }> {
    if (bytes.byteLength === 0) throw new AvatarRejectedError('empty', 'The file is empty');
    if (bytes.byteLength > AVATAR_MAX_BYTES) {
      throw new AvatarRejectedError('too-large', 'The picture is larger than 1 MB');
    }
    const contentType = sniffAvatarType(bytes);
    if (!contentType) throw new AvatarRejectedError('unsupported-type', 'Upload a PNG, JPEG or WebP picture');
    const reencoded = await reencodeAvatar(bytes);
    if (!reencoded) {
      throw new AvatarRejectedError('unsupported-type', 'The picture could not be read: upload another one');
    }
    const { version } = await avatarsRepository.upsert(db, userId, 'image/webp', reencoded);
    return { url: linkFor(secret, userId, version, now) };
  },

  /**
   * A link to this version of a user's picture, for lists that read the version with their rows. The link
   * stays the same for ten minutes (it then works for 50 to 60 more), so a list fetched again on every
   * search keystroke reuses the pictures the browser has, instead of downloading each under a new address.
   */
  linkTo(secret: string, userId: string, version: string, now = new Date()): string {
    const bucketStart = Math.floor(now.getTime() / LIST_LINK_STEP_MS) * LIST_LINK_STEP_MS;
    return linkFor(secret, userId, version, new Date(bucketStart));
  },

  /** A fresh link to the user's own picture, or null without one. */
  async ownUrl(db: DB, secret: string, userId: string, now = new Date()): Promise<string | null> {
    const avatar = await avatarsRepository.findVersion(db, userId);
    return avatar ? linkFor(secret, userId, avatar.version, now) : null;
  },

  async remove(db: DB, userId: string): Promise<{ removed: boolean }> {
    return { removed: await avatarsRepository.delete(db, userId) };
  },

  /** The picture a signed link opens; null for a forged, altered, expired or outdated link. */
  async imageFor(
    db: DB,
    secret: string,
    userId: string,
    query: URLSearchParams,
  ): Promise<{ contentType: AvatarContentType; bytes: Buffer } | null> {
    const version = verifyAvatarUrl(secret, userId, query);
    if (!version) return null;
    const image = await avatarsRepository.findImage(db, userId, version);
    return image ? { contentType: image.content_type, bytes: image.bytes } : null;
  },
});
