// A real model on the device: a tiny review-sentiment classifier in TensorFlow.js
// (bag of words -> 12 ReLU units -> sigmoid), trained in the browser by
// gradient descent on phrases
// made up below, so nothing is fetched. `tf` is the global of tf-core + tf-backend-cpu.
const tf = globalThis.tf;

const POS = ['great', 'love', 'excellent', 'fast', 'friendly', 'perfect', 'happy', 'smooth', 'helpful', 'recommend', 'easy', 'nice'];
const NEG = ['terrible', 'hate', 'slow', 'broken', 'rude', 'awful', 'refund', 'crash', 'worst', 'disappointed', 'late', 'confusing'];
const FILL = ['the', 'app', 'delivery', 'service', 'checkout', 'support', 'was', 'is', 'really', 'very', 'and', 'my', 'order', 'so'];
// words the model never saw in training: the drifted traffic is full of them
const SLANG = ['meh', 'mid', 'laggy', 'bruh', 'lowkey', 'ngl', 'janky', 'sus'];
const VOCAB = [...POS, ...NEG, ...FILL];
const INDEX = new Map(VOCAB.map((w, i) => [w, i]));

// a seeded generator, so training gives the same model on every load
const rng = (seed) => () => ((seed = (seed * 1664525 + 1013904223) >>> 0) / 2 ** 32);
const pick = (r, list) => list[Math.floor(r() * list.length)];

/** A made-up review; `positive` decides its sentiment words, `drift` mixes in unseen slang and skews negative. */
const review = (r, positive, drift = false) => {
  const words = [];
  const len = 4 + Math.floor(r() * 5);
  for (let i = 0; i < len; i++) words.push(pick(r, FILL));
  const moods = 1 + Math.floor(r() * 2);
  for (let i = 0; i < moods; i++) words.splice(Math.floor(r() * words.length), 0, pick(r, positive ? POS : NEG));
  if (drift) for (let i = 0; i < 3; i++) words.splice(Math.floor(r() * words.length), 0, pick(r, SLANG));
  return words.join(' ');
};

const encode = (text) => {
  const v = new Float32Array(VOCAB.length);
  const words = text.toLowerCase().match(/[a-z']+/g) || [];
  for (const w of words) if (INDEX.has(w)) v[INDEX.get(w)] += 1;
  const norm = Math.sqrt(words.length) || 1;
  return v.map((x) => x / norm);
};

/** Builds and trains the model; resolves to `predict(text) -> probability positive`. */
const train = async () => {
  await tf.setBackend('cpu');
  const r = rng(7);
  const texts = [];
  const labels = [];
  for (let i = 0; i < 400; i++) texts.push(review(r, i % 2 == 0)), labels.push(i % 2 == 0 ? 1 : 0);
  const x = tf.tensor2d(texts.map((t) => Array.from(encode(t))));
  const y = tf.tensor2d(labels, [labels.length, 1]);
  let w1 = tf.randomNormal([VOCAB.length, 12], 0, 0.3, 'float32', 11);
  let b1 = tf.zeros([12]);
  let w2 = tf.randomNormal([12, 1], 0, 0.3, 'float32', 12);
  let b2 = tf.zeros([1]);
  const hidden = (input) => tf.relu(tf.add(tf.matMul(input, w1), b1));
  const forward = (input) => tf.sigmoid(tf.add(tf.matMul(hidden(input), w2), b2));
  // full-batch gradient descent with the gradients written out: the core
  // bundle ships no autodiff kernels, and this network is two matMuls deep
  const rate = 1.5 / labels.length;
  for (let step = 0; step < 150; step++) {
    const next = tf.tidy(() => {
      const h = hidden(x);
      const dz = tf.sub(tf.sigmoid(tf.add(tf.matMul(h, w2), b2)), y);
      const dh = tf.mul(tf.matMul(dz, w2, false, true), tf.step(h));
      return [
        tf.sub(w1, tf.mul(tf.matMul(x, dh, true), rate)),
        tf.sub(b1, tf.mul(tf.sum(dh, 0), rate)),
        tf.sub(w2, tf.mul(tf.matMul(h, dz, true), rate)),
        tf.sub(b2, tf.mul(tf.sum(dz, 0), rate)),
      ];
    });
    tf.dispose([w1, b1, w2, b2]);
    [w1, b1, w2, b2] = next;
  }
  tf.dispose([x, y]);
  return (text) => tf.tidy(() => forward(tf.tensor2d([Array.from(encode(text))])).dataSync()[0]);
};

const LEXICON = new Map([...POS.map((w) => [w, 1]), ...NEG.map((w) => [w, -1])]);
/** The fallback: count happy and unhappy words. No model, always answers. */
export const heuristic = (text) => {
  let score = 0;
  for (const w of text.toLowerCase().match(/[a-z']+/g) || []) score += LEXICON.get(w) || 0;
  const p = 1 / (1 + Math.exp(-score));
  return { label: p >= 0.5 ? 'positive' : 'negative', p, via: 'heuristic' };
};

const sleep = (ms) => new Promise((r) => setTimeout(r, ms));

/**
 * The demo's model: `classify(text)` (monitored when the SDK can), switches
 * that make it drift, fail or slow, and `sample()` for traffic.
 */
export const createModel = async (tt, canMonitor) => {
  const predict = await train();
  const modes = { drift: false, fail: false, slow: false };
  const traffic = rng(Date.now() >>> 0);

  // The model call as an app would write it; the switches stand in for real trouble.
  const infer = async (text) => {
    if (modes.slow) await sleep(250 + Math.random() * 500);
    if (modes.fail) throw new Error('sentiment model failed: simulated kernel error');
    const p = predict(text);
    return { label: p >= 0.5 ? 'positive' : 'negative', p, via: 'model' };
  };

  const options = {
    model: 'sentiment',
    version: '1.0',
    backend: `tfjs-${tf.getBackend()}`,
    summarize: (out) => out.p,
    fallback: heuristic,
    timeoutMs: 500,
  };

  let classify;
  if (canMonitor) {
    // the output baseline: this model on the traffic it was trained for, measured now
    // (latency is learned by telltale from the first calls, through the same async path)
    const outs = Array.from({ length: 300 }, () => predict(review(traffic, traffic() < 0.5)));
    const mean = outs.reduce((s, v) => s + v, 0) / outs.length;
    const std = Math.sqrt(outs.reduce((s, v) => s + (v - mean) ** 2, 0) / outs.length);
    // a second tab starts from the fleet baseline the tabs before it built (the ingest merges
    // their summaries; telltale fetches it through data-baseline-url): only the first measures its own
    const fleet = await fetch('/v1/baselines').then((r) => r.json(), () => ({}));
    if (!fleet.sentiment) tt.setBaseline?.('sentiment', { mean, std });
    classify = tt.wrapInference(infer, options);
  } else {
    // no monitoring in this build yet: same behaviour, unmeasured
    classify = (text) => infer(text).catch(() => heuristic(text));
  }

  return {
    classify,
    modes,
    backend: options.backend,
    /** The next review: balanced, or drifted (all negative, unseen words: about one baseline std, caught well within a run of 200). */
    sample: () => review(traffic, !modes.drift && traffic() < 0.5, modes.drift),
  };
};
