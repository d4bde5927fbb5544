// The reference ingest (demo/ingest.mjs) on a free port of 127.0.0.1, for tests in Node.
import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import { createIngest } from '../../../demo/ingest.mjs';

export const startIngest = async (allowedOrigins?: string[]) => {
  const ingest = createIngest({ allowedOrigins });
  const server = createServer((req, res) => {
    if (!ingest.handle(req, res)) res.writeHead(404).end();
  });
  await new Promise<void>((done) => server.listen(0, '127.0.0.1', done));
  const { port } = server.address() as AddressInfo;
  return {
    ingest,
    port,
    url: `http://127.0.0.1:${port}`,
    close: () => {
      ingest.close();
      server.closeAllConnections();
      return new Promise<void>((done) => server.close(() => done()));
    },
  };
};
