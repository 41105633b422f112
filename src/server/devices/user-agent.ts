/**
 * "Firefox 133 on Windows" from a User-Agent header: enough for a person to recognise their own device.
 * Order matters: Edge and Opera also say Chrome, Chrome also says Safari, every iOS browser says Safari.
 */
const BROWSERS: [name: string, pattern: RegExp][] = [
  ['Edge', /Edg(?:e|A|iOS)?\/(\d+)/],
  ['Opera', /(?:OPR|Opera)\/(\d+)/],
  ['Samsung Internet', /SamsungBrowser\/(\d+)/],
  ['Firefox', /(?:Firefox|FxiOS)\/(\d+)/],
  ['Chrome', /(?:Chrome|CriOS)\/(\d+)/],
  ['Safari', /Version\/(\d+)[\d.]* (?:Mobile\/\S+ )?Safari\//],
];

const SYSTEMS: [name: string, pattern: RegExp][] = [
  ['iOS', /iPhone|iPad|iPod/],
  ['Android', /Android/],
  ['ChromeOS', /CrOS/],
  ['Windows', /Windows/],
  ['macOS', /Mac OS X|Macintosh/],
  ['Linux', /Linux/],
];

export interface DeviceDescription {
  browser: string;
  os: string | null;
}

export function describeUserAgent(userAgent: string | null): DeviceDescription {
  if (!userAgent) return { browser: 'Unknown browser', os: null };
  const os = SYSTEMS.find(([, pattern]) => pattern.test(userAgent))?.[0] ?? null;
  for (const [name, pattern] of BROWSERS) {
    const match = pattern.exec(userAgent);
    if (match) return { browser: `${name} ${match[1]}`, os };
  }
  // Scripts and apps: "curl/8.5.0" → "curl"
  const product = /^([A-Za-z][\w.-]{0,40})\//.exec(userAgent)?.[1];
  return { browser: product ?? 'Unknown browser', os };
}
