/** One figure, printed as the line `BENCH {"name":…,"value":…,"unit":…}` that the notes quote. */
export function reportFigure(name: string, value: number, unit: string, extra: Record<string, unknown> = {}) {
  console.log(`BENCH ${JSON.stringify({ name, value: Math.round(value * 1000) / 1000, unit, ...extra })}`);
}

export function percentile(samples: number[], p: number): number {
  const sorted = [...samples].sort((a, b) => a - b);
  return (
    sorted[Math.min(sorted.length - 1, Math.max(0, Math.ceil((p / 100) * sorted.length) - 1))] ?? Number.NaN
  );
}
