-- BetterAuth 1.7 rate limiter with database storage (src/server/auth.ts: rateLimit.storage 'database'), generated
-- with getMigrations().compileMigrations(): one row per client IP and auth path, shared by every app instance.

create table "better_auth"."rateLimit" ("id" text not null primary key, "key" text not null unique, "count" integer not null, "lastRequest" bigint not null);
