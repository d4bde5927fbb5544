import * as ort from 'onnxruntime-web/wasm';
// ONNX Runtime's WebAssembly binary, emitted by Vite beside the app: no CDN involved
import wasmUrl from 'onnxruntime-web/ort-wasm-simd-threaded.wasm?url';
import { init } from 'telltale';
import { monitorOnnx } from 'telltale/adapters';

const tt = init({ endpoint: import.meta.env.VITE_TELLTALE_ENDPOINT, app: 'onnx-example', release: '1.0.0' });

ort.env.wasm.wasmPaths = { wasm: wasmUrl };
// threads need a cross-origin isolated page; one is plenty for a small model
ort.env.wasm.numThreads = 1;

const executionProviders = ['wasm'];
const session = await ort.InferenceSession.create('/model.onnx', { executionProviders });
// session.run is wrapped in place: each call is timed, its errors counted, its score
// summarized; one inference_summary per model leaves every minute and when the page hides
monitorOnnx(tt, session, {
  model: 'logistic',
  version: '1',
  executionProviders,
  ort,
  summarize: (outputs) => outputs.score.data[0],
});

const form = document.querySelector('form');
const button = form.querySelector('button');
form.addEventListener('submit', async (event) => {
  event.preventDefault();
  const features = Float32Array.from(new FormData(form).values(), Number);
  const { score } = await session.run({ features: new ort.Tensor('float32', features, [1, features.length]) });
  form.querySelector('output').textContent = `score ${score.data[0].toFixed(3)}`;
});
button.disabled = false;
