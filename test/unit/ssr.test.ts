// @vitest-environment node
import { describe, expect, it } from 'vitest';

describe('in Node (SSR)', () => {
  it('imports without touching the DOM and init() returns a no-op client', async () => {
    const { init } = await import('../../src/index');
    const client = init({ endpoint: 'https://ingest.example.com', app: 'shop' });
    client.track('x');
    await client.flush();
    expect(client.stats()).toMatchObject({ disabled: 'ssr', buffered: 0, sent: 0 });
  });

  it('still validates the options', async () => {
    const { init } = await import('../../src/index');
    expect(() => init({ endpoint: 'https://ingest.example.com', app: '' })).toThrow(TypeError);
  });
});
