import { percentile, reportFigure } from './bench-report';
import { type Bench, type Browser, scriptReply } from './chat-engine-bench-parts';

/** 200 streams at once (20 users × 10 sessions): per-token provider → subscriber latency, losses, RSS. */
export async function concurrencyFigures(
  { provider, host }: Bench,
  signUp: (index: number) => Promise<Browser>,
) {
  const tokens = Array.from({ length: 202 }, (_, i) => ` t${i}`);
  const users = await Promise.all(Array.from({ length: 20 }, (_, i) => signUp(i + 1)));
  const streams: (Browser & { sessionId: string; cue: string })[] = [];
  for (const user of users) {
    for (let s = 0; s < 10; s++) {
      const session = await user.caller.sessions.create({ title: 'Load' });
      await user.subscriber.follow(session.id);
      streams.push({ ...user, sessionId: session.id, cue: scriptReply(provider, tokens, 5) });
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
  let lostOrReordered = 0;
  for (const [index, stream] of streams.entries()) {
    const reply = sent[index];
    const record = await provider.requestFor(stream.cue);
    if (!reply) continue;
    await stream.subscriber.waitFor(reply.replyId, 1);
    const deltas = stream.subscriber.received.get(reply.replyId) ?? [];
    if (deltas.some((d, i) => d.delta.seq !== i + 1)) lostOrReordered += 1;
    let cursor = 0;
    let tokenIndex = 0;
    for (const { delta, at } of deltas) {
      cursor += delta.text.length;
      while (tokenIndex < tokens.length && tokenEnd(tokens, tokenIndex) <= cursor) {
        latencies.push(at - (record.tokenWrittenAt[tokenIndex] ?? at));
        tokenIndex += 1;
      }
    }
    if (deltas.map((d) => d.delta.text).join('') !== tokens.join('')) lostOrReordered += 1;
  }
  const cpuMs =
    (after.cpuMicros.user + after.cpuMicros.system - before.cpuMicros.user - before.cpuMicros.system) / 1000;
  reportFigure('chat.concurrent_200_provider_to_subscriber_p50', percentile(latencies, 50), 'ms');
  reportFigure('chat.concurrent_200_provider_to_subscriber_p99', percentile(latencies, 99), 'ms');
  reportFigure('chat.concurrent_200_streams_lost_or_reordered', lostOrReordered, 'streams');
  reportFigure('chat.concurrent_200_app_server_peak_rss', after.peakRss / 1024 / 1024, 'MB');
  reportFigure('chat.concurrent_200_app_server_cpu_share', (cpuMs / wall) * 100, '% of a core', {
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
