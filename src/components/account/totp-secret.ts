/** The base32 key inside an otpauth:// URI, grouped in fours for typing into an authenticator app by hand. */
export function totpSecretOf(uri: string): string {
  const secret = new URL(uri).searchParams.get('secret') ?? '';
  return secret.replace(/(.{4})/g, '$1 ').trim();
}
