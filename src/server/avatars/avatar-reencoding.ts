import 'server-only';
import sharp from 'sharp';

/** Avatars are shown small; anything larger is scaled down. */
const MAX_SIDE = 512;
/** 40 megapixels: a picture of 1 MB that decodes to more is a decompression bomb, not a photo. */
const MAX_INPUT_PIXELS = 40_000_000;

/**
 * The picture decoded and written anew as a WebP of at most 512×512, first frame only, without any metadata
 * (EXIF, ICC, comments, trailing bytes): nothing the uploader put beside the pixels survives, so no
 * polyglot (a PNG that is also HTML or a script) is ever served. Null when the bytes do not decode as an image.
 */
export async function reencodeAvatar(bytes: Uint8Array): Promise<Uint8Array | null> {
  try {
    const output = await sharp(bytes, { limitInputPixels: MAX_INPUT_PIXELS, failOn: 'error', pages: 1 })
      .rotate()
      .resize(MAX_SIDE, MAX_SIDE, { fit: 'inside', withoutEnlargement: true })
      .webp({ quality: 85 })
      .toBuffer();
    return new Uint8Array(output);
  } catch {
    return null;
  }
}
