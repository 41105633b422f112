import type { RealtimeLimits } from '../src/realtime';

/**
 * Benchmarks open hundreds of sockets and joins from one loopback address, which realtime's per-address
 * limits (meant for the internet) would refuse; every other limit stays as shipped.
 */
export const BENCH_REALTIME_LIMITS: Partial<RealtimeLimits> = {
  maxConnectionsPerIp: 100_000,
  maxAuthorizationsPerSecondPerIp: 1_000_000,
};
