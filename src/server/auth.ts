import 'server-only';
import { betterAuth } from 'better-auth';
import { nextCookies } from 'better-auth/next-js';
import { admin, twoFactor } from 'better-auth/plugins';
import { env } from '@/env';
import { recordAccountSecurityEvent } from './audit-log/account-security-events';
import { db } from './db';
import { passwordResetMail, verificationMail } from './mail/account-mails';
import { mailer } from './mail/mailer';
import { loggableError, logger } from './observability/logger';
import { profileService } from './profile/profile.service';

/** BetterAuth's tables live in their own schema, which no API role can read. */
export const AUTH_SCHEMA = 'better_auth';

/** The whole auth configuration: one object, plugins added here. `rateLimit` overrides the default (tests). */
export function createAuth(options: { rateLimit?: boolean } = {}) {
  return betterAuth({
    appName: 'ChatTwelve',
    baseURL: env().APP_URL,
    secret: env().BETTER_AUTH_SECRET,
    trustedOrigins: [env().APP_URL],
    // BetterAuth turns its Origin / CSRF / callback-URL checks off when NODE_ENV=test; the tests must see
    // exactly what production does.
    advanced: {
      disableOriginCheck: false,
      // Behind a proxy, x-forwarded-for lists several hops: these proxies are skipped to find the client.
      ipAddress: { trustedProxies: env().TRUSTED_PROXIES },
    },
    // Per client IP and path (sign-in/up 3 per 10 s, reset mails 3 a minute, else 100 per 10 s), counted in
    // Postgres so all app instances share the counts. On in production; tests switch it on where they test it.
    rateLimit: {
      enabled: options.rateLimit ?? env().NODE_ENV === 'production',
      storage: 'database',
      modelName: 'rateLimit',
    },
    database: { db: db(), type: 'postgres', schemaName: AUTH_SCHEMA },
    emailAndPassword: {
      enabled: true,
      minPasswordLength: 8,
      maxPasswordLength: 128,
      // The link is good for an hour and once; a reset signs every device out.
      resetPasswordTokenExpiresIn: 60 * 60,
      revokeSessionsOnPasswordReset: true,
      sendResetPassword: async ({ user, url }) => {
        await mailer().send({ to: user.email, ...passwordResetMail(url) });
      },
      onPasswordReset: async ({ user }, request) => {
        await recordAccountSecurityEvent(db(), user.id, 'account.password.reset', request?.headers);
      },
    },
    emailVerification: {
      // Mailed at sign-up; an unverified address can still sign in.
      sendOnSignUp: true,
      autoSignInAfterVerification: true,
      sendVerificationEmail: async ({ user, url }) => {
        // Not awaited: a slow or failing SMTP server must not hold up or fail the sign-up (it is logged, and
        // the mail can be asked for again).
        void mailer()
          .send({ to: user.email, ...verificationMail(url) })
          .catch((error: unknown) =>
            logger().error({ userId: user.id, err: loggableError(error) }, 'verification mail not sent'),
          );
      },
    },
    session: {
      // Off, so that a revoked session is refused on the very next request.
      cookieCache: { enabled: false },
      // An active session's row is refreshed hourly (not daily), so the device list's "last seen" is fresh.
      updateAge: 60 * 60,
    },
    databaseHooks: {
      user: {
        update: {
          // Two-factor switched on (confirmed with a first code) or off: into the audit log.
          after: async (user, context) => {
            const path = context?.path;
            if (path === '/two-factor/verify-totp' && user.twoFactorEnabled === true) {
              await recordAccountSecurityEvent(db(), user.id, 'account.two_factor.enable', context?.headers);
            } else if (path === '/two-factor/disable' && user.twoFactorEnabled === false) {
              await recordAccountSecurityEvent(db(), user.id, 'account.two_factor.disable', context?.headers);
            }
          },
        },
        create: {
          // Runs after BetterAuth's own commit, so the profile insert must be idempotent on its own.
          after: async (user) => {
            await profileService.ensureProfile(db(), { id: user.id, email: user.email, name: user.name });
          },
        },
      },
    },
    // admin: roles `user` / `admin`, bans (a banned user cannot sign in; banning deletes their sessions).
    // Turning two-factor off takes a code as well as the password: only through twoFactor.disable (tRPC).
    disabledPaths: ['/two-factor/disable'],
    // twoFactor: TOTP (authenticator app) with backup codes; once enabled, sign-in asks for a code.
    plugins: [
      admin({ defaultRole: 'user', adminRoles: ['admin'] }),
      twoFactor({ issuer: 'ChatTwelve' }),
      nextCookies(),
    ],
  });
}

export type Auth = ReturnType<typeof createAuth>;

const globalForAuth = globalThis as unknown as { chattwelveAuth?: Auth };

export function auth(): Auth {
  globalForAuth.chattwelveAuth ??= createAuth();
  return globalForAuth.chattwelveAuth;
}
