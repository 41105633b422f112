-- BetterAuth 1.7 two-factor plugin (TOTP + backup codes), generated with getMigrations().compileMigrations() for
-- src/server/auth.ts. The secret and the backup codes are stored encrypted with BETTER_AUTH_SECRET.

alter table "better_auth"."user" add column "twoFactorEnabled" boolean default false;

create table "better_auth"."twoFactor" ("id" text not null primary key, "secret" text not null, "backupCodes" text not null, "userId" text not null references "better_auth"."user" ("id") on delete cascade, "verified" boolean, "failedVerificationCount" integer, "lockedUntil" timestamptz);

create index "twoFactor_secret_idx" on "better_auth"."twoFactor" ("secret");

create index "twoFactor_userId_idx" on "better_auth"."twoFactor" ("userId");
