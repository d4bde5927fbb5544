// Entry of the standalone worker script (dist/telltale.worker.js, inlined in the ESM build).
import { serveStore } from './buffer/worker';

serveStore();
