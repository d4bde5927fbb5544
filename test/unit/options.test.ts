import { describe, expect, it } from 'vitest';
import { readOptions, RULES } from '../../src/options';

const base = { endpoint: 'https://ingest.example.com/v1/events', app: 'shop' };

describe('readOptions', () => {
  it('fills in every default', () => {
    expect(readOptions(base)).toEqual({
      ...base,
      protocol: 'telltale',
      sampleRate: 1,
      respectDoNotTrack: true,
      debug: false,
      batchSize: 500,
      flushIntervalMs: 5000,
      maxBufferEvents: 5000,
      collect: { vitals: true, interactions: true, routes: true, errors: true, longTasks: true },
      vitalsReportAllChanges: false,
      sampling: { vitals: 1, interactions: 1, errors: 1, inference: 1 },
      requireConsent: false,
      captureText: false,
      allowParams: [],
      maxErrors: 100,
      summaryIntervalMs: 60000,
      baselineSize: 200,
      maxModels: 32,
      latencyBudgetMs: 100,
      alertErrorRate: 0.05,
      alertLatencyMs: 500,
      alertServedRate: 0.95,
      alertDrift: 'high',
      maxBufferBytes: 5_000_000,
      maxAgeMs: 86_400_000,
      maxEventsPerMinute: 6000,
      maxRequestsPerMinute: 120,
    });
  });

  it('fills in the defaults of a nested option the site gave in part', () => {
    const c = readOptions({ ...base, collect: { vitals: false }, sampling: { errors: 0.5 } });
    expect(c.collect).toEqual({ vitals: false, interactions: true, routes: true, errors: true, longTasks: true });
    expect(c.sampling).toEqual({ vitals: 1, interactions: 1, errors: 0.5, inference: 1 });
  });

  it('keeps good values of every option', () => {
    const good = {
      ...base,
      endpoint: '/relative/ingest',
      release: '1.4.2',
      env: 'production',
      sampleRate: 0.5,
      respectDoNotTrack: false,
      debug: true,
      batchSize: 1,
      flushIntervalMs: 0,
      maxBufferEvents: 10,
      collect: { vitals: false, interactions: false, routes: false, errors: false, longTasks: false },
      sampling: { vitals: 0, interactions: 0.5, errors: 1, inference: 0.1 },
      requireConsent: true,
      onConsent: () => {},
      captureText: true,
      allowParams: ['utm_source'],
      userSalt: 'pepper',
      beforeSend: (e: unknown) => e,
      maxErrors: 0,
      summaryIntervalMs: 0,
      baselineSize: 50,
      latencyBudgetMs: 250,
      alertErrorRate: 1,
      alertLatencyMs: 0,
      alertServedRate: 0,
      alertDrift: 'off',
      maxBufferBytes: 100_000,
      maxAgeMs: 60_000,
      maxEventsPerMinute: 1,
      maxRequestsPerMinute: 1,
      workerUrl: '/telltale.worker.js',
    };
    expect(readOptions(good)).toMatchObject(good);
  });

  it('has a test row for every option', () => {
    expect(Object.keys(RULES).sort()).toEqual(Object.keys(bad).sort());
  });

  // option -> a bad value and the message it must produce
  const bad: Record<string, [unknown, string][]> = {
    endpoint: [
      ['ftp://x.example', 'endpoint must be an http(s) URL, got "ftp://x.example"'],
      [42, 'endpoint must be an http(s) URL, got 42'],
      ['http://[bad', 'endpoint must be an http(s) URL, got "http://[bad"'],
    ],
    app: [
      ['', 'app must be a non-empty string, got ""'],
      [{}, 'app must be a non-empty string, got {}'],
    ],
    release: [[1.4, 'release must be a string, got 1.4']],
    env: [[null, 'env must be a string, got null']],
    sampleRate: [
      [2, 'sampleRate must be a number from 0 to 1, got 2'],
      [-0.1, 'sampleRate must be a number from 0 to 1, got -0.1'],
      ['0.5', 'sampleRate must be a number from 0 to 1, got "0.5"'],
      [NaN, 'sampleRate must be a number from 0 to 1, got NaN'],
    ],
    respectDoNotTrack: [['false', 'respectDoNotTrack must be true or false, got "false"']],
    debug: [[1, 'debug must be true or false, got 1']],
    batchSize: [
      [0, 'batchSize must be a whole number from 1 to 500, got 0'],
      [2.5, 'batchSize must be a whole number from 1 to 500, got 2.5'],
      [501, 'batchSize must be a whole number from 1 to 500, got 501'],
    ],
    flushIntervalMs: [[-1, 'flushIntervalMs must be a whole number from 0 to 600000, got -1']],
    maxBufferEvents: [[Infinity, 'maxBufferEvents must be a whole number from 1 to 1000000, got Infinity']],
    collect: [
      [false, 'collect must be an object, got false'],
      [{ vitals: 'no' }, 'collect.vitals must be true or false, got "no"'],
      [{ longTasks: 0 }, 'collect.longTasks must be true or false, got 0'],
    ],
    sampling: [
      [[0.5], 'sampling must be an object, got [0.5]'],
      [{ errors: 2 }, 'sampling.errors must be a number from 0 to 1, got 2'],
      [{ inference: '1' }, 'sampling.inference must be a number from 0 to 1, got "1"'],
    ],
    requireConsent: [['yes', 'requireConsent must be true or false, got "yes"']],
    onConsent: [['save', 'onConsent must be a function, got "save"']],
    captureText: [[1, 'captureText must be true or false, got 1']],
    vitalsReportAllChanges: [['yes', 'vitalsReportAllChanges must be true or false, got "yes"']],
    allowParams: [
      ['utm_source', 'allowParams must be an array of strings, got "utm_source"'],
      [['a', 1], 'allowParams must be an array of strings, got ["a",1]'],
    ],
    userSalt: [[42, 'userSalt must be a string, got 42']],
    beforeSend: [[{}, 'beforeSend must be a function, got {}']],
    maxErrors: [[-1, 'maxErrors must be a whole number from 0 to 100000, got -1']],
    summaryIntervalMs: [[500.5, 'summaryIntervalMs must be a whole number from 0 to 86400000, got 500.5']],
    baselineSize: [[5, 'baselineSize must be a whole number from 10 to 100000, got 5']],
    baselineUrl: [['ftp://ingest.example.com/v1/baselines', 'baselineUrl must be an http(s) URL, got "ftp://ingest.example.com/v1/baselines"']],
    maxModels: [[0, 'maxModels must be a whole number from 1 to 10000, got 0']],
    latencyBudgetMs: [[-5, 'latencyBudgetMs must be a number from 0 to 600000, got -5']],
    alertErrorRate: [[5, 'alertErrorRate must be a number from 0 to 1, got 5']],
    alertLatencyMs: [['500', 'alertLatencyMs must be a number from 0 to 600000, got "500"']],
    alertServedRate: [[false, 'alertServedRate must be a number from 0 to 1, got false']],
    protocol: [['otel', 'protocol must be one of "telltale", "otlp", got "otel"']],
    alertDrift: [
      ['low', 'alertDrift must be one of "high", "medium", "off", got "low"'],
      [2, 'alertDrift must be one of "high", "medium", "off", got 2'],
    ],
    maxBufferBytes: [[99_999, 'maxBufferBytes must be a whole number from 100000 to 1000000000, got 99999']],
    maxAgeMs: [[1000, 'maxAgeMs must be a whole number from 60000 to 2592000000, got 1000']],
    maxEventsPerMinute: [[0, 'maxEventsPerMinute must be a whole number from 1 to 1000000, got 0']],
    maxRequestsPerMinute: [[0.5, 'maxRequestsPerMinute must be a whole number from 1 to 10000, got 0.5']],
    workerUrl: [['javascript:alert(1)', 'workerUrl must be an http(s) URL, got "javascript:alert(1)"']],
  };

  for (const [key, cases] of Object.entries(bad))
    for (const [value, message] of cases)
      it(`rejects ${key} = ${String(value)}`, () => {
        expect(() => readOptions({ ...base, [key]: value })).toThrow(new TypeError(`telltale: ${message}`));
      });

  it('names a missing required option', () => {
    expect(() => readOptions({ app: 'a' })).toThrow(new TypeError('telltale: endpoint is required, got undefined'));
    expect(() => readOptions({ endpoint: base.endpoint })).toThrow(new TypeError('telltale: app is required, got undefined'));
  });

  it('rejects options that are not an object', () => {
    expect(() => readOptions(undefined)).toThrow(new TypeError('telltale: options must be an object, got undefined'));
    expect(() => readOptions('x')).toThrow(TypeError);
  });

  it('names the option the way the caller asks (the script tag names its attribute)', () => {
    expect(() => readOptions({ ...base, batchSize: 0 }, (k) => `data-${k}`)).toThrow(/^telltale: data-batchSize must/);
  });

  it('ignores an unknown option instead of throwing', () => {
    expect(readOptions({ ...base, colour: 'red' })).not.toHaveProperty('colour');
    expect(readOptions({ ...base, collect: { replay: true } }).collect).not.toHaveProperty('replay');
  });
});
