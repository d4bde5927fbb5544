// Model monitoring in real Chromium: the wrapper around sync/async/throwing/rejecting
// functions and a fallback, and the adapters around real TensorFlow.js and ONNX Runtime Web
// models (built in code / encoded by the test: nothing is downloaded), with events and
// summaries received by the ingest server.
import { describe, expect, it } from 'vitest';
import type { Page } from 'playwright-core';
import type { Ingest } from './harness';
import { startDemo } from '../../demo/server.mjs';
import { ADD_ONNX } from './onnxModel';
import { useWorld } from './world';

const w = useWorld();

type Ev = ReturnType<Ingest['events']>[number];

/** Opens a page with the core IIFE, `init`ed as `window.tt`, plus `head` markup. */
const open = async (path: string, head = '', body = ''): Promise<Page> => {
  const url = w.site.page(
    path,
    `<!doctype html>${head}<script src="/dist/telltale.min.js"></script>
     <script>window.load = (url) => import(url); // vitest rewrites import() inside page.evaluate
       window.tt = Telltale.init({ endpoint: '${w.ingest.endpoint}', app: 'ml', flushIntervalMs: 60000 });</script>${body}`,
  );
  const page = await w.browser.context.newPage();
  const errors: string[] = [];
  page.on('pageerror', (e) => errors.push(String(e)));
  (page as Page & { errors: string[] }).errors = errors;
  await page.goto(url);
  return page;
};

const of = (model: string, type: string) => (e: Ev) => e.model == model && e.type == type;

describe('wrapInference in Chromium', () => {
  it('times sync, async, throwing and rejecting functions and a fallback, and sends events and summaries', async () => {
    const page = await open('/wrap.html');
    const results = await page.evaluate(async () => {
      const tt = (window as any).tt;
      const out: unknown[] = [];
      const model = { k: 2, predict(x: number) { return this.k * x; } };
      model.predict = tt.wrapInference(model.predict, { model: 'sync', summarize: (v: number) => v });
      out.push(model.predict(21));
      const slow = tt.wrapInference((x: number) => new Promise((r) => setTimeout(() => r(x + 1), 30)), { model: 'async', backend: 'wasm' });
      out.push(await slow(1));
      const thrower = tt.wrapInference(() => { throw new SyntaxError('bad input'); }, { model: 'throws' });
      try { thrower(); } catch (e) { out.push((e as Error).name); }
      const rejecter = tt.wrapInference(() => Promise.reject(new TypeError('lost context')), { model: 'rejects' });
      try { await rejecter(); } catch (e) { out.push((e as Error).message); }
      const guarded = tt.wrapInference(() => new Promise((r) => setTimeout(() => r('model'), 500)), {
        model: 'guarded', timeoutMs: 50, fallback: () => 'rules',
      });
      out.push(await guarded());
      await tt.flush();
      return out;
    });
    expect(results).toEqual([42, 2, 'SyntaxError', 'lost context', 'rules']);
    const events = await w.ingest.waitFor(() => {
      const ev = w.ingest.events();
      return ev.filter((e) => e.type == 'inference_summary').length >= 5 && ev;
    });
    expect(events.find(of('sync', 'inference'))).toMatchObject({ ok: true, source: 'model', output: 42, cold: true, page: '/wrap.html' });
    const asyncCall = events.find(of('async', 'inference'))!;
    expect(asyncCall).toMatchObject({ ok: true, backend: 'wasm' });
    expect(asyncCall.durationMs).toBeGreaterThanOrEqual(25);
    expect(events.find(of('throws', 'inference'))).toMatchObject({ ok: false, error: 'SyntaxError', message: 'bad input' });
    expect(events.find(of('rejects', 'inference'))).toMatchObject({ ok: false, error: 'TypeError' });
    expect(events.find(of('guarded', 'inference'))).toMatchObject({ ok: false, source: 'fallback', error: 'Timeout' });
    expect(events.find(of('guarded', 'inference_summary'))).toMatchObject({ count: 1, fallbacks: 1, timeouts: 1, drift: { severity: 'none' } });
    const summary = events.find(of('async', 'inference_summary'))!;
    expect(summary).toMatchObject({ count: 1, errors: 0, health: { score: 100, status: 'healthy' } });
    expect((summary.latency as { p50: number }).p50).toBeGreaterThanOrEqual(25);
    expect((page as Page & { errors: string[] }).errors).toEqual([]);
    await page.close();
  });
});

describe('adapters against real libraries', () => {
  it('TensorFlow.js: predict (with tf.time kernel time) and executeAsync of a GraphModel, backend from tf.getBackend()', async () => {
    const page = await open('/tfjs.html', '<script src="/node_modules/@tensorflow/tfjs/dist/tf.min.js"></script>');
    const out = await page.evaluate(async () => {
      const tf = (window as any).tf;
      const { monitorTfjs } = await (window as any).load('/dist/adapters.mjs');
      await tf.setBackend('cpu');
      await tf.ready();
      const tt = (window as any).tt;
      // y = 2x + 1, built in code
      const model = tf.sequential({ layers: [tf.layers.dense({ units: 1, inputShape: [1] })] });
      model.setWeights([tf.tensor2d([[2]]), tf.tensor1d([1])]);
      monitorTfjs(tt, model, { tf, model: 'dense', version: '1', time: true, summarize: (t: any) => t.dataSync()[0] });
      const y = model.predict(tf.tensor2d([[3]]));
      const sync = y.dataSync()[0];
      // a GraphModel made from an in-memory graph: y = relu(x)
      const graph = await tf.loadGraphModel(
        tf.io.fromMemory({
          modelTopology: {
            node: [
              { name: 'x', op: 'Placeholder', attr: { dtype: { type: 'DT_FLOAT' }, shape: { shape: { dim: [{ size: '-1' }, { size: '2' }] } } } },
              { name: 'y', op: 'Relu', input: ['x'], attr: { T: { type: 'DT_FLOAT' } } },
            ],
            versions: { producer: 1 },
          },
          weightSpecs: [],
          weightData: new ArrayBuffer(0),
        }),
      );
      monitorTfjs(tt, graph, { tf, model: 'graph', summarize: (t: any) => t.dataSync()[1] });
      const promise = graph.executeAsync(tf.tensor2d([[-1, 5]]));
      const isPromise = promise instanceof Promise;
      const async = (await promise).dataSync()[1];
      await new Promise((r) => setTimeout(r, 50));
      await tt.flush();
      return { sync, async, isPromise, backend: tf.getBackend() };
    });
    expect(out).toEqual({ sync: 7, async: 5, isPromise: true, backend: 'cpu' });
    const events = await w.ingest.waitFor(() => {
      const ev = w.ingest.events();
      return ev.some(of('dense', 'inference_summary')) && ev.some(of('graph', 'inference_summary')) && ev;
    });
    const dense = events.find(of('dense', 'inference'))!;
    expect(dense).toMatchObject({ model: 'dense', version: '1', backend: 'cpu', ok: true, output: 7, inputSize: 1, cold: true });
    expect(dense.kernelMs).toBeTypeOf('number');
    expect(dense.kernelMs as number).toBeLessThanOrEqual(dense.durationMs as number);
    expect(events.find(of('graph', 'inference'))).toMatchObject({ backend: 'cpu', ok: true, output: 5, inputSize: 2 });
    expect(events.find(of('graph', 'inference_summary'))).toMatchObject({ count: 1, errors: 0 });
    await page.close();
  });

  it('ONNX Runtime Web: session.run of a hand-encoded Add model; WebGPU asked for, WASM used', async () => {
    const page = await open('/onnx.html');
    const out = await page.evaluate(async (bytes: number[]) => {
      const ort = await (window as any).load('/node_modules/onnxruntime-web/dist/ort.min.mjs');
      ort.env.wasm.wasmPaths = '/node_modules/onnxruntime-web/dist/';
      ort.env.wasm.numThreads = 1;
      const { monitorOnnx } = await (window as any).load('/dist/adapters.mjs');
      const tt = (window as any).tt;
      const executionProviders = ['webgpu', 'wasm'];
      const session = await ort.InferenceSession.create(new Uint8Array(bytes), { executionProviders });
      monitorOnnx(tt, session, { model: 'add', version: 'v1', executionProviders, ort, summarize: (o: any) => o.c.data[0] });
      const feeds = () => ({ a: new ort.Tensor('float32', [1, 2, 3], [3]), b: new ort.Tensor('float32', [10, 20, 30], [3]) });
      const first = await session.run(feeds());
      const second = await session.run(feeds());
      let error = '';
      try {
        await session.run({ a: feeds().a });
      } catch (e) {
        error = (e as Error).message;
      }
      await tt.flush();
      return { c: Array.from(first.c.data), again: Array.from(second.c.data), error: !!error, gpu: !!ort.env.webgpu?.adapter };
    }, Array.from(ADD_ONNX));
    expect(out).toMatchObject({ c: [11, 22, 33], again: [11, 22, 33], error: true, gpu: false });
    const events = await w.ingest.waitFor(() => {
      const ev = w.ingest.events();
      return ev.some(of('add', 'inference_summary')) && ev;
    });
    const calls = events.filter(of('add', 'inference'));
    expect(calls).toHaveLength(3);
    expect(calls[0]).toMatchObject({ version: 'v1', backend: 'wasm', backendRequested: 'webgpu', ok: true, output: 11, inputSize: 6, cold: true });
    expect(calls[2]).toMatchObject({ ok: false, error: 'Error', inputSize: 3 });
    expect(events.find(of('add', 'inference_summary'))).toMatchObject({ count: 3, errors: 1, backend: 'wasm' });
    await page.close();
  });

  it('transformers.js: a pipeline-shaped callable keeps its properties and is recorded with its top score', async () => {
    const page = await open('/pipeline.html');
    const out = await page.evaluate(async () => {
      const { monitorPipeline } = await (window as any).load('/dist/adapters.mjs');
      const tt = (window as any).tt;
      // transformers.js pipelines are instances of a Callable class: a function whose prototype
      // is the pipeline's, called through `_call`; rebuilt here the same way
      class Callable extends Function {
        constructor() {
          super();
          const closure = function (this: unknown, ...args: unknown[]) {
            return (closure as any)._call(...args);
          };
          return Object.setPrototypeOf(closure, new.target.prototype);
        }
      }
      class TextClassificationPipeline extends Callable {
        task = 'text-classification';
        model = { config: { _name_or_path: 'Xenova/distilbert-sst2' } };
        async _call(text: string) {
          await new Promise((r) => setTimeout(r, 5));
          return [{ label: text.includes('good') ? 'POSITIVE' : 'NEGATIVE', score: 0.75 }];
        }
        async dispose() {
          return 'disposed';
        }
      }
      const classifier = monitorPipeline(tt, new (TextClassificationPipeline as any)(), { device: 'webgpu' });
      const result = await classifier('a good day');
      const props = [classifier.task, await classifier.dispose(), classifier instanceof TextClassificationPipeline];
      await tt.flush();
      return { result, props };
    });
    expect(out).toEqual({ result: [{ label: 'POSITIVE', score: 0.75 }], props: ['text-classification', 'disposed', true] });
    const events = await w.ingest.waitFor(() => w.ingest.events().some(of('Xenova/distilbert-sst2', 'inference_summary')) && w.ingest.events());
    expect(events.find(of('Xenova/distilbert-sst2', 'inference'))).toMatchObject({ backend: 'webgpu', ok: true, output: 0.75, inputSize: 10 });
    await page.close();
  });
});

describe('fleet baselines and the model cap in Chromium', () => {
  it('a page flags drift from its first calls against the baseline the reference ingest merged from another page', async () => {
    // the reference ingest (demo/ingest.mjs): stores summaries, merges their moments, serves GET /v1/baselines
    const demo = await startDemo({ port: 0, quiet: true, dataDir: '' });
    try {
      const pageWith = async (path: string, options: string) => {
        const url = w.site.page(
          path,
          `<!doctype html><script src="/dist/telltale.min.js"></script>
           <script>window.tt = Telltale.init({ endpoint: '${demo.url}/ingest', app: 'ml', flushIntervalMs: 60000, ${options} });</script>`,
        );
        const page = await w.browser.context.newPage();
        await page.goto(url);
        return page;
      };
      // page 1: 400 calls of a classifier scoring ~0.8 (σ 0.05) at ~20 ms, summarized to the ingest
      const first = await pageWith('/fleet-1.html', '');
      await first.evaluate(async () => {
        const tt = (window as any).tt;
        let seed = 3;
        const rand = () => ((seed = (seed * 16807) % 2147483647) / 2147483647);
        for (let i = 0; i < 400; i++)
          tt.recordInference({ model: 'clf', version: '3', durationMs: 18 + 4 * rand(), ok: true, output: 0.8 + 0.1 * (rand() - 0.5) * Math.sqrt(3) });
        await tt.flush();
      });
      await first.close();
      // flush() settled once the ingest answered: the merged baseline is there
      const served = await (await fetch(`${demo.url}/v1/baselines`)).json();
      expect(served.clf).toMatchObject({ version: '3', n: 400, mean: expect.closeTo(0.8, 1), latencyMs: expect.closeTo(20, 0) });
      expect(served.clf.std).toBeGreaterThan(0.03);
      expect(served.clf.std).toBeLessThan(0.07);

      // page 2 starts from the fleet baseline: 60 calls scoring ~0.6 are high drift at once,
      // long before it could have learned a baseline of its own (200 calls)
      const second = await pageWith('/fleet-2.html', `baselineUrl: '${demo.url}/v1/baselines'`);
      const after = await second.evaluate(async () => {
        const tt = (window as any).tt;
        const alerts: string[] = [];
        tt.on('alert', (e: any) => alerts.push(e.rule));
        for (let i = 0; i < 60; i++) tt.recordInference({ model: 'clf', version: '3', durationMs: 20, ok: true, output: 0.6 + ((i % 5) - 2) * 0.02 });
        await tt.flush();
        return { alerts, models: tt.stats().models };
      });
      expect(after).toEqual({ alerts: ['drift'], models: { overCap: 0, fleetBaselines: 1, fleetBaselineFailures: 0 } });
      const summaries = await w.ingest.waitFor(() => {
        const s = demo.ingest.events().filter((e) => e.type == 'inference_summary' && e.page == '/fleet-2.html');
        return s.length > 0 && s;
      });
      expect(summaries[0]).toMatchObject({ count: 60, drift: { severity: 'high' } });
      expect((summaries[0].drift as { meanShiftZ: number }).meanShiftZ).toBeLessThan(-3);
      await second.close();
    } finally {
      await demo.close();
    }
  });

  it('counts models past maxModels in stats() and still sends their calls', async () => {
    const page = await open('/cap.html');
    const overCap = await page.evaluate(async () => {
      const tt = (window as any).tt;
      for (let i = 0; i < 34; i++) tt.recordInference({ model: 'cap-' + i, durationMs: 1, ok: true });
      await tt.flush();
      return tt.stats().models.overCap;
    });
    expect(overCap).toBe(2);
    const events = await w.ingest.waitFor(() => {
      const ev = w.ingest.events().filter((e) => String(e.model).startsWith('cap-'));
      return ev.filter((e) => e.type == 'inference').length == 34 && ev;
    });
    expect(events.filter((e) => e.type == 'inference_summary')).toHaveLength(32);
    await page.close();
  });
});
