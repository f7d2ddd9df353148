/**
 * ClickHouse versions and the features that differ between the Debian server we test on (18.16)
 * and current releases (chDB 26.x). Migration statements are gated with `-- @since X.Y` /
 * `-- @before X.Y` comments (see migrations.ts); the sink gates its own behaviour with FEATURES.
 */
export type Version = readonly [number, number, number];

export function parseVersion(text: string): Version {
  const m = /^(\d+)\.(\d+)(?:\.(\d+))?/.exec(text.trim());
  if (!m) throw new RangeError(`Not a ClickHouse version: expected "major.minor[.patch]", got "${text}".`);
  return [Number(m[1]), Number(m[2]), Number(m[3] ?? 0)];
}

export function compareVersions(a: Version, b: Version): number {
  for (let i = 0; i < 3; i++) {
    const d = (a[i] ?? 0) - (b[i] ?? 0);
    if (d !== 0) return d < 0 ? -1 : 1;
  }
  return 0;
}

export function versionAtLeast(version: Version, min: string): boolean {
  return compareVersions(version, parseVersion(min)) >= 0;
}

/** Where 18.16 and current ClickHouse differ for this model; the minimum version of each. */
export const FEATURES = {
  /** Table TTL (19.6). Without it the sink deletes expired verbatims on connect. */
  ttl: '19.6',
} as const;

export type Feature = keyof typeof FEATURES;

export function hasFeature(version: Version, feature: Feature): boolean {
  return versionAtLeast(version, FEATURES[feature]);
}
