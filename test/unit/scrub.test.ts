import { describe, expect, it } from 'vitest';
import { clean } from '../../src/lib/clean';
import { namesSecret, scrubber, scrubPath, scrubText, scrubUrl } from '../../src/privacy/scrub';
import { scrubEvent } from '../../src/privacy/scrubEvent';
import fixture from '../fixtures/personalData.json';

describe('scrubText replaces each kind of personal data', () => {
  const cases: [string, string][] = [
    ['write to jane.doe@example.com today', 'write to [email] today'],
    ['/u/carol%40example.net', '/u/[email]'],
    ['id 3f2b8c1e-9a4d-4e7b-8c2f-1d6e5a9b0c7d.', 'id [uuid].'],
    ['eyJhbGciOiJIUzI1NiJ9.eyJzdWIiOiIxIn0.abcdefghij', '[token]'],
    // an empty payload (`{}` is e30) still makes a whole token
    ['sent eyJhbGciOiJIUzI1NiJ9.e30.abc', 'sent [token]'],
    ['sha a94a8fe5ccb19ba61c4c0873d391e987982fbbd3', 'sha [hex]'],
    ['key sk_live_51HqLyjWDarjtT1zdp7dcXyZ', 'key [token]'],
    ['t 9x7k2m4p8q1w5e3r6t0y9u8i7o6p5a4s3d', 't [token]'],
    ['s=QWxhZGRpbjpvcGVuIHNlc2FtZQ2x9K==', 's=[token]'],
    ['from 203.0.113.195', 'from [ip]'],
    ['call +44 20 7946 0958', 'call [number]'],
    ['(555) 867-5309', '[number]'],
    ['tel 555.214.9876', 'tel [number]'],
    ['card 4111 1111 1111 1111', 'card [number]'],
    ['ssn 078-05-1120', 'ssn [number]'],
    ['order #100245781', 'order #[number]'],
    ['GET https://api.example/users?name=Jane#top failed', 'GET https://api.example/users failed'],
    ['see /search?q=jane&page=2 for more', 'see /search for more'],
    ['from 2001:0db8:85a3:0000:0000:8a2e:0370:7334 ok', 'from [ip] ok'],
    ['peer 2001:db8::8a2e:370:7334, then ::1', 'peer [ip], then [ip]'],
    ['via fe80::1%eth0 and ::ffff:192.0.2.128', 'via [ip] and [ip]'],
    ['http://[2001:db8::1]:8080/x', 'http://[[ip]]:8080/x'],
    ['FE80::ABCD:12', '[ip]'],
    ['login failed: password=hunter2&user=x', 'login failed: password=[redacted]&user=x'],
    ['{"access_token":"ya29Gq8x","n":1}', '{"access_token":"[redacted]","n":1}'],
    ['Authorization: Bearer abc.def', 'Authorization: [redacted]'],
    ['secret_key = s3cr3t', 'secret_key = [redacted]'],
    // a token-like run is not kept because it starts with a date
    ['key 2024-01-02-aB3dE5fG7hJ9kL1mN3pQ5', 'key [token]'],
  ];
  for (const [input, output] of cases) it(JSON.stringify(input), () => expect(scrubText(input)).toBe(output));
});

describe('scrubText leaves ordinary text alone', () => {
  const same = [
    'Hello world',
    "TypeError: Cannot read properties of undefined (reading 'map')",
    'internationalization Supercalifragilisticexpialidocious',
    'retry 3 of 12345 items',
    'version 1.4.2, v10.15.7, 2024.10.1, 1.22.333-beta.3',
    'released 2024-01-02, at 2024-11-23T10:20:30Z, logged 2024-01-02 10:20:30',
    'price 1,299.99 EUR',
    'button.primary#checkout [data-testid="buy"]',
    'at handleClick (https://cdn.example.com/assets/app.js:12:34)',
    'HTTP 404 after 1500 ms',
    'at 12:30:45, then 23:59:59.999 and 10:20',
    'commit deadbeef:cafe, hash a94a8fe5',
    'a::before, li::marker, std::vector, Foo::bar',
    'max_tokens: 512, tokenCount=7, sessionDuration: 300',
  ];
  for (const s of same) it(JSON.stringify(s), () => expect(scrubText(s)).toBe(s));
});

describe('the personal data fixture', () => {
  it('has at least 30 kinds', () => expect(fixture.kinds.length).toBeGreaterThanOrEqual(30));
  for (const { kind, text, leak } of fixture.kinds)
    it(`scrubs ${kind}`, () => {
      const out = scrubText(text);
      for (const l of leak) expect(out).not.toContain(l);
    });
});

describe('secrets by key', () => {
  it('every key of the fixture names a secret, in any case and spelling', () => {
    for (const { key } of fixture.secrets) expect(namesSecret(key), key).toBe(true);
  });
  it('keys that only resemble one are kept (model and page figures)', () => {
    for (const key of ['tokens', 'maxTokens', 'tokenCount', 'input_tokens', 'sessionDuration', 'author', 'authority', 'passed', 'keyword', 'model', 'id'])
      expect(namesSecret(key), key).toBe(false);
  });
  it('clean redacts their values at any depth, never reading them, and bounds the rest', () => {
    const data: Record<string, unknown> = { user: { name: 'n', list: [{ password: 'hunter2' }] }, tokenCount: 3 };
    for (const { key, value } of fixture.secrets) data[key] = value;
    Object.defineProperty(data, 'secret', { enumerable: true, get: () => { throw new Error('read'); } });
    const out = clean(data, 2000, scrubber);
    const json = JSON.stringify(out.value);
    for (const { value } of fixture.secrets) expect(json).not.toContain(value);
    expect(out.value).toMatchObject({ user: { name: 'n', list: [{ password: '[redacted]' }] }, tokenCount: 3, secret: '[redacted]', apiKey: '[redacted]' });
  });
});

describe('scrubUrl / scrubPath', () => {
  it('drops query and fragment, keeps allow-listed parameters (scrubbed)', () => {
    expect(scrubUrl('https://x.example/a/b?email=a@b.co&utm_source=mail&id=12345678#top', ['utm_source', 'id'])).toBe(
      'https://x.example/a/b?utm_source=mail&id=%5Bnumber%5D',
    );
    // an allow-listed parameter that names a secret keeps its name only
    expect(scrubUrl('/cb?state=ok&token=abc', ['state', 'token'])).toBe('/cb?state=ok&token=%5Bredacted%5D');
    expect(scrubPath('https://x.example/users/jane@x.io/orders/88012345?x=1')).toBe('/users/[email]/orders/[number]');
    expect(scrubPath('https://x.example/')).toBe('/');
  });
});

describe('scrubEvent', () => {
  it('scrubs every string of an event, keys included, but not its own fields', () => {
    const e = scrubEvent({
      id: 'a94a8fe5ccb19ba6',
      type: 'custom',
      t: 1,
      page: '/p',
      name: 'n',
      data: { 'jane@x.io': ['call 555 867 5309', 42], ok: 'fine' },
    });
    expect(e).toEqual({ id: 'a94a8fe5ccb19ba6', type: 'custom', t: 1, page: '/p', name: 'n', data: { '[email]': ['call [number]', 42], ok: 'fine' } });
  });

  it('redacts secrets in track data, inference fields and error fields', () => {
    const custom = scrubEvent({ id: 'a', type: 'custom', t: 1, page: '/p', name: 'login', data: { form: { Password: 'hunter2', remember: true } } });
    expect(custom.data).toEqual({ form: { Password: '[redacted]', remember: true } });
    const inference = scrubEvent({ id: 'b', type: 'inference', t: 1, page: '/p', model: 'm', durationMs: 1, ok: true, apiKey: 'k-123', inputTokens: 40 });
    expect(inference).toMatchObject({ model: 'm', apiKey: '[redacted]', inputTokens: 40 });
    const error = scrubEvent({ id: 'c', type: 'error', t: 1, page: '/p', source: 'error', message: 'failed with token=abc123', detail: { authorization: 'Basic x' } });
    expect(error).toMatchObject({ message: 'failed with token=[redacted]', detail: { authorization: '[redacted]' } });
  });
});
