import type { Metadata } from 'next';
import { redirect } from 'next/navigation';
import { currentSession } from '@/app/current-session';
import { AuthForms } from '@/components/auth/auth-forms';

export const dynamic = 'force-dynamic';
export const metadata: Metadata = { title: 'Sign up · ChatTwelve' };

export default async function SignUpPage() {
  const { ctx } = await currentSession();
  if (ctx.session) redirect('/');
  return <AuthForms mode="sign-up" />;
}
