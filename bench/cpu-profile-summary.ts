import { readdir, readFile } from 'node:fs/promises';
import path from 'node:path';

interface ProfileNode {
  id: number;
  callFrame: { functionName: string; url: string; lineNumber: number };
  hitCount?: number;
}

export interface CpuProfile {
  nodes: ProfileNode[];
  samples?: number[];
  timeDeltas?: number[];
  startTime: number;
  endTime: number;
}

export interface ProfileLine {
  name: string;
  selfMs: number;
  share: number;
}

/** Where a frame's code lives, shortened: `node_modules/<package>`, `src/<file>`, or `node:<builtin>`. */
function placeOf(url: string): string {
  if (!url) return '(native)';
  const modules = /node_modules\/((?:@[^/]+\/)?[^/]+)/.exec(url);
  if (modules) return modules[1] ?? url;
  if (url.startsWith('node:')) return url;
  const src = /\/((?:src|bench|tests)\/.*)$/.exec(url);
  return src?.[1] ?? path.basename(url);
}

/** Self time per function (top `limit`) and per place (package or source file), as shares of the samples. */
export function summarizeProfile(profile: CpuProfile, limit = 12) {
  const byId = new Map(profile.nodes.map((node) => [node.id, node]));
  const selfUs = new Map<number, number>();
  const samples = profile.samples ?? [];
  const deltas = profile.timeDeltas ?? [];
  for (let index = 0; index < samples.length; index++) {
    const id = samples[index] as number;
    selfUs.set(id, (selfUs.get(id) ?? 0) + (deltas[index] ?? 0));
  }
  const total = [...selfUs.values()].reduce((sum, value) => sum + value, 0) || 1;
  const functions = new Map<string, number>();
  const places = new Map<string, number>();
  for (const [id, us] of selfUs) {
    const frame = byId.get(id)?.callFrame;
    if (!frame) continue;
    const place = placeOf(frame.url);
    const name = `${frame.functionName || '(anonymous)'} ${place}${frame.url ? `:${frame.lineNumber + 1}` : ''}`;
    functions.set(name, (functions.get(name) ?? 0) + us);
    places.set(place, (places.get(place) ?? 0) + us);
  }
  const top = (map: Map<string, number>): ProfileLine[] =>
    [...map.entries()]
      .sort((a, b) => b[1] - a[1])
      .slice(0, limit)
      .map(([name, us]) => ({ name, selfMs: us / 1000, share: us / total }));
  return { totalMs: total / 1000, functions: top(functions), places: top(places) };
}

/** The largest .cpuprofile in `dir` (tsx's loader threads write small ones of their own). */
export async function readLargestProfile(dir: string): Promise<CpuProfile | undefined> {
  const files = (await readdir(dir)).filter((file) => file.endsWith('.cpuprofile'));
  let largest: { text: string } | undefined;
  for (const file of files) {
    const text = await readFile(path.join(dir, file), 'utf8');
    if (!largest || text.length > largest.text.length) largest = { text };
  }
  return largest ? (JSON.parse(largest.text) as CpuProfile) : undefined;
}

export function printProfile(title: string, profile: CpuProfile): void {
  const summary = summarizeProfile(profile);
  const percent = (share: number) => `${(share * 100).toFixed(1).padStart(5)} %`;
  console.log(`# ${title}: ${Math.round(summary.totalMs)} ms of samples`);
  console.log('#   by place (self time):');
  for (const line of summary.places) console.log(`#   ${percent(line.share)}  ${line.name}`);
  console.log('#   by function (self time):');
  for (const line of summary.functions) console.log(`#   ${percent(line.share)}  ${line.name}`);
}
