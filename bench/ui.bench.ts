/**
 * Browser UI benchmarks (issue 6), on a production build (`next build` + `next start`) against the embedded
 * stack and the fake provider, driven in Debian's Chromium. Prints `BENCH {"name","value","unit"}` lines:
 * - Enter → first token painted, p50 (fake provider, TTFT 0);
 * - tab-2 lag behind tab 1 while one reply streams, p50;
 * - JavaScript the chat route loads, gzipped;
 * - time to interactive of /c/[id] holding 500 messages, p50.
 * Run: tsx bench/ui.bench.ts   (or through bench/run.ts, which calls main()).
 */
import { randomBytes, randomUUID } from 'node:crypto';
import { mkdtemp, rm } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { SignJWT } from 'jose';
import { Kysely, PostgresDialect } from 'kysely';
import pg from 'pg';
import type { Page } from 'playwright-core';
import type { Database } from '../src/server/database-types';
import { freePort } from '../src/stack/free-port';
import { startStack } from '../src/stack/start-stack';
import { findChromium, launchChromium } from '../tests/helpers/chromium';
import { startFakeLlmProvider } from '../tests/helpers/fake-llm-provider';
import { startNextApp } from '../tests/helpers/next-app';
import { routeScriptBytes } from '../tests/helpers/route-scripts';
import { percentile, reportFigure } from './bench-report';

const SENDS = 15;
const TAB_LAG_TOKENS = 120;
const LOADS = 5;
const NEW_CHATS = 7;

async function projectKey(secret: string, role: 'anon' | 'service_role'): Promise<string> {
  return new SignJWT({ role, iss: 'chattwelve-bench' })
    .setProtectedHeader({ alg: 'HS256', typ: 'JWT' })
    .setIssuedAt()
    .setExpirationTime('2h')
    .sign(new TextEncoder().encode(secret));
}

async function signUp(page: Page): Promise<string> {
  const email = `bench-${randomUUID()}@example.test`;
  await page.goto('/sign-up');
  await page.getByTestId('auth-email').fill(email);
  await page.getByTestId('auth-password').fill(`pw-${randomUUID()}`);
  await page.getByTestId('auth-submit').click();
  await page.getByTestId('composer').waitFor();
  return email;
}

async function waitConnected(page: Page): Promise<void> {
  await page.locator('[data-testid="connection-status"][data-status="connected"]').waitFor();
}

interface FirstTokenTiming {
  total: number;
  /** Enter → chat.send request made. */
  toSend: number;
  /** chat.send round trip. */
  sendRoundTrip: number;
  /** Enter → first delta received over the websocket. */
  toFirstDelta: number;
  /** Enter → first catch-up (chat.replyProgress) that brought text: how a new chat's first text arrives. */
  toCatchUp: number;
  /** The chat.send request's resource timing: fetch() → request sent (queueing, connection). */
  sendQueued: number;
  /** Request sent → first response byte (the server's part, as the browser sees it). */
  sendServer: number;
}

/** Sends `text`: ms from the Enter keydown to the first reply text painted (next animation frame), and parts. */
async function enterToFirstToken(page: Page, text: string): Promise<FirstTokenTiming> {
  await page.evaluate(() => performance.clearMarks());
  await page.getByTestId('composer').fill(text);
  const measured = page.evaluate(
    () =>
      new Promise<number>((resolve) => {
        const composer = document.querySelector('[data-testid="composer"]') as HTMLElement;
        const before = document.querySelectorAll('[data-testid="message-assistant"]').length;
        let pressedAt = 0;
        composer.addEventListener(
          'keydown',
          (event) => {
            if (event.key === 'Enter') {
              pressedAt = performance.now();
              (window as unknown as { __pressedAt: number }).__pressedAt = pressedAt;
            }
          },
          { capture: true, once: true },
        );
        const observer = new MutationObserver(() => {
          const replies = document.querySelectorAll(
            '[data-testid="message-assistant"] [data-testid="message-text"]',
          );
          const last = replies[replies.length - 1];
          if (replies.length > before && last?.textContent) {
            observer.disconnect();
            requestAnimationFrame(() => resolve(performance.now() - pressedAt));
          }
        });
        observer.observe(document.body, { subtree: true, childList: true, characterData: true });
      }),
  );
  await page.getByTestId('composer').press('Enter');
  const total = await measured;
  const marks = await page.evaluate(() => {
    const entries = performance.getEntriesByType('mark');
    const sendStart = entries.find((entry) => entry.name === 'chat:send-start')?.startTime ?? Number.NaN;
    const sendEnd = entries.find((entry) => entry.name === 'chat:send-end')?.startTime ?? Number.NaN;
    const firstDelta = entries.find((entry) => entry.name === 'chat:first-delta')?.startTime ?? Number.NaN;
    const catchUp = entries.find((entry) => entry.name === 'chat:catch-up')?.startTime ?? Number.NaN;
    const pressedAt = (window as unknown as { __pressedAt: number }).__pressedAt;
    const send = performance
      .getEntriesByType('resource')
      .filter((entry) => entry.name.includes('chat.send'))
      .at(-1) as PerformanceResourceTiming | undefined;
    performance.clearResourceTimings();
    return {
      sendStart,
      sendEnd,
      firstDelta,
      catchUp,
      pressedAt,
      sendQueued: send ? send.requestStart - send.startTime : Number.NaN,
      sendServer: send ? send.responseStart - send.requestStart : Number.NaN,
    };
  });
  await page.locator('[data-testid="message-assistant"][data-status="complete"]').last().waitFor();
  await page.waitForFunction(
    () => !document.querySelector('[data-testid="message-assistant"][data-status="streaming"]'),
  );
  return {
    total,
    toSend: marks.sendStart - marks.pressedAt,
    sendRoundTrip: marks.sendEnd - marks.sendStart,
    toFirstDelta: marks.firstDelta - marks.pressedAt,
    toCatchUp: marks.catchUp - marks.pressedAt,
    sendQueued: marks.sendQueued,
    sendServer: marks.sendServer,
  };
}

/** Records, in a page, the wall-clock time (µs precision) at which each distinct reply text was shown. */
async function recordTextTimes(page: Page): Promise<() => Promise<Record<string, number>>> {
  await page.evaluate(() => {
    const seen: Record<string, number> = {};
    (window as unknown as { __times: Record<string, number> }).__times = seen;
    new MutationObserver(() => {
      const replies = document.querySelectorAll(
        '[data-testid="message-assistant"] [data-testid="message-text"]',
      );
      const text = replies[replies.length - 1]?.textContent ?? '';
      if (text && !(text in seen)) seen[text] = performance.timeOrigin + performance.now();
    }).observe(document.body, { subtree: true, childList: true, characterData: true });
  });
  return () => page.evaluate(() => (window as unknown as { __times: Record<string, number> }).__times);
}

export async function main(): Promise<void> {
  const chromiumPath = findChromium();
  if (!chromiumPath) {
    console.log('# ui.bench: no Chromium (CHROMIUM_PATH or /usr/bin/chromium): skipped');
    return;
  }
  const jwtSecret = randomBytes(32).toString('hex');
  const dataRoot = await mkdtemp(path.join(os.tmpdir(), 'chattwelve-ui-bench-'));
  const stack = await startStack({
    dataDir: path.join(dataRoot, 'postgres'),
    pgPort: await freePort(),
    realtimePort: await freePort(),
    durable: false,
    jwtSecret,
  });
  const provider = await startFakeLlmProvider();
  provider.setDefault({ tokens: ['Bench', ' reply', ' text'], firstTokenDelayMs: 0, tokenDelayMs: 0 });
  const logs: string[] = [];
  const app = await startNextApp({
    databaseUrl: stack.databaseUrl,
    realtimeUrl: stack.realtimeUrl,
    aiBaseUrl: provider.baseUrl,
    mode: 'start',
    log: (line) => logs.push(line),
    extraEnv: {
      AI_MODELS: 'bench-model',
      SUPABASE_JWT_SECRET: jwtSecret,
      NEXT_PUBLIC_SUPABASE_ANON_KEY: await projectKey(jwtSecret, 'anon'),
      SUPABASE_SERVICE_ROLE_KEY: await projectKey(jwtSecret, 'service_role'),
      BETTER_AUTH_SECRET: randomBytes(32).toString('hex'),
      CHAT_RATE_LIMIT_PER_MINUTE: '10000',
    },
  }).catch((error: unknown) => {
    console.error(logs.join('\n'));
    throw error;
  });
  const browser = await launchChromium(chromiumPath);
  const db = new Kysely<Database>({
    dialect: new PostgresDialect({ pool: new pg.Pool({ connectionString: stack.databaseUrl, max: 2 }) }),
  });
  try {
    // Without the app's service worker: its saved copies would hide what the network sends (a page's second
    // load would read its scripts from the worker's cache, reported at their decoded size).
    const context = await browser.newContext({
      baseURL: app.url,
      viewport: { width: 1280, height: 800 },
      serviceWorkers: 'block',
    });
    const page = await context.newPage();
    const email = await signUp(page);
    await waitConnected(page);

    // 1. Enter → first token painted. The first send of a new chat also creates the session and joins its
    // channels; the steady-state figure is over the sends after it.
    const firstSend = await enterToFirstToken(page, 'Warm-up question');
    const samples: FirstTokenTiming[] = [];
    for (let index = 0; index < SENDS; index += 1)
      samples.push(await enterToFirstToken(page, `Question ${index}`));
    const p50 = (pick: (timing: FirstTokenTiming) => number) => percentile(samples.map(pick), 50);
    reportFigure(
      'ui.enter_to_first_token_painted.p50',
      p50((timing) => timing.total),
      'ms',
      { samples: SENDS },
    );
    reportFigure(
      'ui.enter_to_first_token_painted.p90',
      percentile(
        samples.map((timing) => timing.total),
        90,
      ),
      'ms',
    );
    reportFigure(
      'ui.enter_to_first_token.parts.enter_to_send_request.p50',
      p50((timing) => timing.toSend),
      'ms',
    );
    reportFigure(
      'ui.enter_to_first_token.parts.chat_send_round_trip.p50',
      p50((timing) => timing.sendRoundTrip),
      'ms',
    );
    reportFigure(
      'ui.enter_to_first_token.parts.chat_send_queued.p50',
      p50((timing) => timing.sendQueued),
      'ms',
    );
    reportFigure(
      'ui.enter_to_first_token.parts.chat_send_server_wait.p50',
      p50((timing) => timing.sendServer),
      'ms',
    );
    reportFigure(
      'ui.enter_to_first_token.parts.enter_to_first_delta.p50',
      p50((timing) => timing.toFirstDelta),
      'ms',
    );
    reportFigure('ui.enter_to_first_token_painted.first_send_of_the_page', firstSend.total, 'ms');

    // 1b. New chats, as a user starts one: the "New chat" link (no page load), then a first question.
    const newChats: FirstTokenTiming[] = [];
    for (let index = 0; index < NEW_CHATS; index += 1) {
      await page.getByTestId('new-chat').click();
      await page.waitForURL((url) => url.pathname === '/');
      await page.locator('[data-testid="message-assistant"]').first().waitFor({ state: 'detached' });
      newChats.push(await enterToFirstToken(page, `New chat ${index}`));
    }
    reportFigure(
      'ui.enter_to_first_token_painted.new_chat.p50',
      percentile(
        newChats.map((timing) => timing.total),
        50,
      ),
      'ms',
      { samples: NEW_CHATS },
    );
    reportFigure(
      'ui.enter_to_first_token.new_chat.parts.enter_to_first_catch_up_with_text.p50',
      percentile(newChats.map((timing) => timing.toCatchUp).filter(Number.isFinite), 50),
      'ms',
      { samples: newChats.filter((timing) => Number.isFinite(timing.toCatchUp)).length },
    );
    reportFigure(
      'ui.enter_to_first_token.new_chat.parts.chat_send_round_trip.p50',
      percentile(
        newChats.map((timing) => timing.sendRoundTrip),
        50,
      ),
      'ms',
    );

    // 2. Tab 2 following tab 1's reply.
    const second = await context.newPage();
    await second.goto(page.url());
    await second.locator('main[data-hydrated="true"]').waitFor();
    await waitConnected(second);
    const cue = `lag-${randomUUID().slice(0, 8)}`;
    provider.script(cue, {
      tokens: Array.from({ length: TAB_LAG_TOKENS }, (_, index) => ` w${index}`),
      tokenDelayMs: 20,
    });
    const times1 = await recordTextTimes(page);
    const times2 = await recordTextTimes(second);
    await page.getByTestId('composer').fill(`Lag ${cue}`);
    await page.getByTestId('composer').press('Enter');
    const lastWord = `w${TAB_LAG_TOKENS - 1}`;
    for (const tab of [page, second]) {
      await tab
        .waitForFunction((word) => {
          const replies = document.querySelectorAll('[data-testid="message-assistant"]');
          const reply = replies[replies.length - 1];
          return (
            reply?.getAttribute('data-status') === 'complete' && (reply.textContent ?? '').includes(word)
          );
        }, lastWord)
        .catch(async (error: unknown) => {
          const state = await tab.evaluate(() =>
            [
              ...document.querySelectorAll(
                '[data-testid="message-assistant"], [data-testid="message-user"], [role="alert"]',
              ),
            ]
              .slice(-4)
              .map((element) => `${element.getAttribute('data-status')}: ${element.textContent?.slice(-60)}`),
          );
          throw new Error(
            `tab ${tab === page ? 1 : 2} never showed the whole reply: ${JSON.stringify(state)}`,
            { cause: error },
          );
        });
    }
    const [shown1, shown2] = [await times1(), await times2()];
    const lags = Object.entries(shown2)
      .filter(([text]) => text in shown1)
      .map(([text, at]) => at - (shown1[text] ?? at));
    reportFigure('ui.tab2_lag_behind_tab1.p50', percentile(lags, 50), 'ms', { texts: lags.length });
    reportFigure('ui.tab2_lag_behind_tab1.p90', percentile(lags, 90), 'ms', { texts: lags.length });
    const chatUrl = page.url();
    await second.close();

    // 3. JavaScript of the chat routes (compressed as served), each in a fresh page: the scripts its HTML
    // names (run before it is interactive), and everything after the page settled (lazy chunks: realtime
    // client, markdown, highlighter).
    for (const [name, url] of [
      ['new_chat', '/'],
      ['chat_with_messages', new URL(chatUrl).pathname],
    ] as const) {
      const fresh = await context.newPage();
      await fresh.goto(url);
      await fresh.locator('main[data-hydrated="true"]').waitFor();
      await fresh.waitForTimeout(1500);
      const { initial: interactive, all: settled } = await routeScriptBytes(fresh);
      reportFigure(`ui.route_js_gzip.${name}.until_interactive`, interactive / 1024, 'KB');
      reportFigure(`ui.route_js_gzip.${name}.all`, settled / 1024, 'KB');
      await fresh.close();
    }

    // 4. Time to interactive of a chat holding 500 messages.
    const profile = await db
      .selectFrom('profiles')
      .select('id')
      .where('email', '=', email)
      .executeTakeFirstOrThrow();
    const session = await db
      .insertInto('chat_sessions')
      .values({ user_id: profile.id, title: 'Five hundred messages' })
      .returning('id')
      .executeTakeFirstOrThrow();
    const start = Date.now() - 500_000;
    await db
      .insertInto('chat_messages')
      .values(
        Array.from({ length: 500 }, (_, index) => ({
          session_id: session.id,
          user_id: profile.id,
          role: index % 2 === 0 ? ('user' as const) : ('assistant' as const),
          content:
            index % 2 === 0
              ? `Question number ${index / 2}: how does this work?`
              : `Answer ${index}: here is **some** markdown with \`code\`.\n\n- one point\n- another point\n\n\`\`\`ts\nconst value = ${index};\n\`\`\``,
          status: 'complete' as const,
          created_at: new Date(start + index * 1000),
        })),
      )
      .execute();
    const ttis: number[] = [];
    for (let index = 0; index < LOADS; index += 1) {
      const loaded = await context.newPage();
      await loaded.goto(`/c/${session.id}`);
      await loaded.locator('main[data-hydrated="true"]').waitFor();
      // The list opens on the latest messages (a window); the rest are a click away.
      const count = await loaded.getByTestId('message-assistant').count();
      if (count === 0) throw new Error('the chat showed no replies');
      ttis.push(
        await loaded.evaluate(() => {
          const marked = performance.getEntriesByName('chat-hydrated')[0]?.startTime;
          return marked ?? performance.now();
        }),
      );
      await loaded.close();
    }
    reportFigure('ui.chat_500_messages_time_to_interactive.p50', percentile(ttis, 50), 'ms', {
      loads: LOADS,
    });
    await context.close();
  } finally {
    await browser.close();
    await db.destroy();
    await app.stop();
    await provider.close();
    await stack.stop();
    await rm(dataRoot, { recursive: true, force: true });
  }
}

if (import.meta.url === `file://${process.argv[1]}`) {
  main().then(
    () => process.exit(0),
    (error: unknown) => {
      console.error(error);
      process.exit(1);
    },
  );
}
