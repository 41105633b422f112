import { createHmac } from 'node:crypto';
import { auth } from '@/server/auth';
import { APP_ORIGIN } from './users';

/**
 * A browser talking to BetterAuth's HTTP endpoints (/api/auth/*) through its real request handler, with a
 * cookie jar: what the sign-in, two-factor and reset flows need (they hand state over in cookies).
 */
export class AuthBrowser {
  private readonly jar = new Map<string, string>();

  async post(path: string, body: unknown): Promise<{ status: number; json: Record<string, unknown> | null }> {
    const response = await auth().handler(
      new Request(`${APP_ORIGIN}/api/auth${path}`, {
        method: 'POST',
        headers: { 'content-type': 'application/json', origin: APP_ORIGIN, cookie: this.cookieHeader() },
        body: JSON.stringify(body),
      }),
    );
    for (const setCookie of response.headers.getSetCookie()) {
      const [pair = '', ...attributes] = setCookie.split(';');
      const [name = '', value = ''] = pair.split('=');
      const expired = attributes.some((a) => /^\s*max-age=0\s*$/i.test(a)) || value === '';
      if (expired) this.jar.delete(name.trim());
      else this.jar.set(name.trim(), value);
    }
    const text = await response.text();
    const json = response.headers.get('content-type')?.includes('json') && text ? JSON.parse(text) : null;
    return { status: response.status, json: json as Record<string, unknown> | null };
  }

  cookieHeader(): string {
    return [...this.jar].map(([name, value]) => `${name}=${value}`).join('; ');
  }

  /** The request headers a tRPC call from this browser carries. */
  headers(): Headers {
    return new Headers({ cookie: this.cookieHeader(), origin: APP_ORIGIN });
  }

  hasSession(): boolean {
    return [...this.jar.keys()].some((name) => name.endsWith('session_token'));
  }
}

function base32Decode(text: string): Buffer {
  const alphabet = 'ABCDEFGHIJKLMNOPQRSTUVWXYZ234567';
  let bits = '';
  for (const char of text.replace(/=+$/, '').toUpperCase()) {
    const index = alphabet.indexOf(char);
    if (index < 0) throw new Error(`not base32: ${char}`);
    bits += index.toString(2).padStart(5, '0');
  }
  const bytes = bits.match(/.{8}/g) ?? [];
  return Buffer.from(bytes.map((byte) => Number.parseInt(byte, 2)));
}

/** The code an authenticator app shows for this otpauth:// URI now (RFC 6238: HMAC-SHA1, 30 s, 6 digits). */
export function totpCode(totpUri: string, at = Date.now()): string {
  const url = new URL(totpUri);
  const key = base32Decode(url.searchParams.get('secret') ?? '');
  const period = Number(url.searchParams.get('period') ?? 30);
  const digits = Number(url.searchParams.get('digits') ?? 6);
  const counter = Buffer.alloc(8);
  counter.writeBigUInt64BE(BigInt(Math.floor(at / 1000 / period)));
  const hmac = createHmac('sha1', key).update(counter).digest();
  const offset = (hmac.at(-1) ?? 0) & 0xf;
  const binary = hmac.readUInt32BE(offset) & 0x7fffffff;
  return String(binary % 10 ** digits).padStart(digits, '0');
}
