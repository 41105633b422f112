import 'server-only';
import { betterAuth } from 'better-auth';
import { APIError, createAuthMiddleware, isAPIError } from 'better-auth/api';
import { nextCookies } from 'better-auth/next-js';
import { admin, twoFactor } from 'better-auth/plugins';
import { env } from '@/env';
import { recordAccountSecurityEvent } from './audit-log/account-security-events';
import { CLIENT_ADDRESS_HEADER } from './client-address/client-address';
import { db } from './db';
import { nulCharacterMessage, pathOfNulCharacter } from './input-safety/nul-character';
import { passwordResetMail, verificationMail } from './mail/account-mails';
import { mailer } from './mail/mailer';
import { loggableError, logger } from './observability/logger';
import { profileService } from './profile/profile.service';
import { signInThrottleService } from './sign-in-throttle/sign-in-throttle.service';

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
      // The client's address as src/server/client-address resolved it from the socket (and TRUSTED_PROXIES);
      // never x-forwarded-for as the client wrote it.
      ipAddress: { ipAddressHeaders: [CLIENT_ADDRESS_HEADER] },
      // The session check reads session and user in one joined query, not two in a row.
      database: { joins: true },
    },
    // NUL characters refused at the door (Postgres text cannot hold them); and per account, whatever address
    // the guesses come from, an exponential back-off on wrong passwords.
    hooks: {
      before: createAuthMiddleware(async (ctx) => {
        const nul = pathOfNulCharacter({ body: ctx.body, query: ctx.query });
        if (nul) throw new APIError('BAD_REQUEST', { message: nulCharacterMessage(nul) });
        if (ctx.path !== '/sign-in/email' || typeof ctx.body?.email !== 'string') return;
        const waitSeconds = await signInThrottleService.admit(db(), ctx.body.email);
        if (waitSeconds !== null) {
          throw new APIError(
            'TOO_MANY_REQUESTS',
            { message: `Too many failed sign-ins for this account: try again in ${waitSeconds} s` },
            { 'X-Retry-After': String(waitSeconds) },
          );
        }
      }),
      after: createAuthMiddleware(async (ctx) => {
        if (ctx.path !== '/sign-in/email' || typeof ctx.body?.email !== 'string') return;
        // The password was right (a session, or the two-factor step next).
        const returned = ctx.context.returned;
        if (returned && typeof returned === 'object' && !isAPIError(returned)) {
          await signInThrottleService.succeeded(db(), ctx.body.email);
        }
      }),
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
      // The link only verifies. Anyone can have a fresh link mailed, and a mailbox is one factor: signing its
      // holder in would skip the password and, for a two-factor account, the second factor too.
      autoSignInAfterVerification: false,
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
