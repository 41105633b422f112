import type { Metadata } from 'next';
import { ResetPasswordForms } from '@/components/auth/reset-password-forms';

export const dynamic = 'force-dynamic';
export const metadata: Metadata = { title: 'Reset password · ChatTwelve' };

/** Asks for the email (no token), or for the new password (the mailed link lands here with ?token=…). */
export default async function ResetPasswordPage({
  searchParams,
}: {
  searchParams: Promise<Record<string, string | string[] | undefined>>;
}) {
  const params = await searchParams;
  const token = typeof params.token === 'string' ? params.token : null;
  // BetterAuth sends an expired or unknown link here with ?error=INVALID_TOKEN.
  const linkInvalid = typeof params.error === 'string';
  return <ResetPasswordForms token={linkInvalid ? null : token} linkInvalid={linkInvalid} />;
}
