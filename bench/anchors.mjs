// Competitor figures measured by the team on 2026-11-23 (../shared/ANCHORS.md §7; the §8 main-thread figures are
// printed as targets beside ours): each SDK bundled
// with esbuild (--bundle --minify, browser, production) from a minimal entry sending vitals and errors; gzip -9.
export const SIZES = [
  ['web-vitals (5 metrics + sendBeacon)', 3520],
  ['web-vitals/attribution', 6010],
  ['idb (openDB)', 1533],
  ['comlink (wrap + expose)', 2081],
  ['Boomerang + rt + continuity', 22327],
  ['Elastic APM RUM', 24221],
  ['Sentry, errors only', 33291],
  ['Grafana Faro', 42168],
  ['Sentry + browser tracing', 58695],
  ['Datadog RUM', 84451],
  ['PostHog', 127305],
  ['New Relic', 137189],
];

