/** The side of the square picture the browser uploads: the server re-encodes it, never larger. */
const AVATAR_SIDE = 256;

/**
 * The picked picture cropped to its centre square and scaled to AVATAR_SIDE, as a PNG: what the user sees in
 * the preview is what is uploaded.
 */
export async function squareAvatar(file: File): Promise<Blob> {
  const bitmap = await createImageBitmap(file).catch(() => {
    throw new Error('That file is not a picture this browser can read');
  });
  const side = Math.min(bitmap.width, bitmap.height);
  const canvas = document.createElement('canvas');
  canvas.width = AVATAR_SIDE;
  canvas.height = AVATAR_SIDE;
  const context = canvas.getContext('2d');
  if (!context) throw new Error('This browser cannot crop pictures');
  context.drawImage(
    bitmap,
    (bitmap.width - side) / 2,
    (bitmap.height - side) / 2,
    side,
    side,
    0,
    0,
    AVATAR_SIDE,
    AVATAR_SIDE,
  );
  bitmap.close();
  return new Promise((resolve, reject) =>
    canvas.toBlob(
      (blob) => (blob ? resolve(blob) : reject(new Error('The picture could not be cropped'))),
      'image/png',
    ),
  );
}

/** Sends the picture to POST /api/avatars; resolves to the new picture's link, or throws the server's reason. */
export async function uploadAvatar(picture: Blob): Promise<string> {
  const form = new FormData();
  form.append('file', picture, 'avatar.png');
  const response = await fetch('/api/avatars', { method: 'POST', body: form });
  const body = (await response.json().catch(() => ({}))) as { url?: string; message?: string };
  if (!response.ok || !body.url) throw new Error(body.message ?? 'The picture could not be uploaded');
  return body.url;
}
