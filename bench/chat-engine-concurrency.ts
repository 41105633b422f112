import { percentile, reportFigure } from './bench-report';
import { type Bench, type Browser, scriptReply } from './chat-engine-bench-parts';

/**
 * 200 streams of a 30 s reply at once (20 users × 10 sessions, 600 tokens 50 ms apart, 5 ms for a short run
 * with CHAT_BENCH_SHORT=1): provider → subscriber latency, losses, RSS, CPU. Two latencies: per token (when the
 * provider wrote it → when a delta carrying it arrived; includes the coalescing hold, up to the 100 ms window by
 * design) and per delta (its newest token → arrival: what the engine, Realtime and the socket add).
 */
export async function concurrencyFigures(
  { provider, host }: Bench,
  signUp: (index: number) => Promise<Browser>,
) {
  const short = process.env.CHAT_BENCH_SHORT === '1';
  const tokens = Array.from({ length: short ? 202 : 600 }, (_, i) => ` t${i}`);
  const tokenDelayMs = short ? 5 : 50;
  const users = await Promise.all(Array.from({ length: 20 }, (_, i) => signUp(i + 1)));
  const streams: (Browser & { sessionId: string; cue: string })[] = [];
  for (const user of users) {
    for (let s = 0; s < 10; s++) {
      const session = await user.caller.sessions.create({ title: 'Load' });
      await user.subscriber.follow(session.id);
      streams.push({ ...user, sessionId: session.id, cue: scriptReply(provider, tokens, tokenDelayMs) });
    }
  }
  const before = await host.stats();
  const wallBefore = performance.now();
  const sent = await Promise.all(
    streams.map((stream) =>
      host.send(stream.cookie, {
        sessionId: stream.sessionId,
        clientMessageId: crypto.randomUUID(),
        content: stream.cue,
      }),
    ),
  );
  await host.idle();
  const wall = performance.now() - wallBefore;
  const after = await host.stats();
  const latencies: number[] = [];
  const deltaLatencies: number[] = [];
  let deltaCount = 0;
  let lostOrReordered = 0;
  for (const [index, stream] of streams.entries()) {
    const reply = sent[index];
    const record = await provider.requestFor(stream.cue);
    if (!reply) continue;
    // Deltas still on their way count as lost only if they do not arrive within 10 s.
    await stream.subscriber.waitForChars(reply.replyId, tokens.join('').length, 10_000);
    const deltas = stream.subscriber.received.get(reply.replyId) ?? [];
    if (deltas.some((d, i) => d.delta.seq !== i + 1)) lostOrReordered += 1;
    let cursor = 0;
    let tokenIndex = 0;
    deltaCount += deltas.length;
    for (const { delta, at } of deltas) {
      cursor += delta.text.length;
      const firstInDelta = tokenIndex;
      while (tokenIndex < tokens.length && tokenEnd(tokens, tokenIndex) <= cursor) {
        latencies.push(at - (record.tokenWrittenAt[tokenIndex] ?? at));
        tokenIndex += 1;
      }
      if (tokenIndex > firstInDelta) deltaLatencies.push(at - (record.tokenWrittenAt[tokenIndex - 1] ?? at));
    }
    if (deltas.map((d) => d.delta.text).join('') !== tokens.join('')) lostOrReordered += 1;
  }
  const cpuMs =
    (after.cpuMicros.user + after.cpuMicros.system - before.cpuMicros.user - before.cpuMicros.system) / 1000;
  const label = short ? 'chat.concurrent_200_short' : 'chat.concurrent_200_30s';
  reportFigure(`${label}_provider_to_subscriber_per_token_p50`, percentile(latencies, 50), 'ms');
  reportFigure(`${label}_provider_to_subscriber_per_token_p99`, percentile(latencies, 99), 'ms');
  reportFigure(`${label}_newest_token_in_delta_to_subscriber_p50`, percentile(deltaLatencies, 50), 'ms');
  reportFigure(`${label}_newest_token_in_delta_to_subscriber_p99`, percentile(deltaLatencies, 99), 'ms');
  reportFigure(`${label}_realtime_messages`, deltaCount, 'messages', {
    perStreamSecond: Math.round((deltaCount / streams.length / (wall / 1000)) * 100) / 100,
  });
  reportFigure(`${label}_streams_lost_or_reordered`, lostOrReordered, 'streams');
  reportFigure(`${label}_app_server_peak_rss`, after.peakRss / 1024 / 1024, 'MB');
  reportFigure(`${label}_app_server_cpu_share`, (cpuMs / wall) * 100, '% of a core', {
    wallMs: Math.round(wall),
  });
  for (const user of users) {
    await user.subscriber.client.removeAllChannels();
    user.subscriber.client.realtime.disconnect();
  }
}

const tokenEnds = new WeakMap<string[], number[]>();
function tokenEnd(tokens: string[], index: number): number {
  let ends = tokenEnds.get(tokens);
  if (!ends) {
    let sum = 0;
    ends = tokens.map((token) => (sum += token.length));
    tokenEnds.set(tokens, ends);
  }
  return ends[index] ?? Number.POSITIVE_INFINITY;
}
