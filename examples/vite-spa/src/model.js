// A tiny model in plain JavaScript: logistic regression, p = σ(w · x + b), over
// [visits last week, days since signup, pages per visit]. A real app would load
// its weights; this one ships them.
const WEIGHTS = [0.35, -0.08, 0.25];
const BIAS = -0.9;

const sigmoid = (z) => 1 / (1 + Math.exp(-z));

/** Resolves to the probability that a lead buys; async, as a real model's predict is. */
export const predict = async (features) => {
  if (features.length != WEIGHTS.length) throw new RangeError(`expected ${WEIGHTS.length} features, got ${features.length}`);
  // stands in for the time a real model takes
  await new Promise((resolve) => setTimeout(resolve, 2 + Math.random() * 8));
  const z = features.reduce((sum, value, index) => sum + value * WEIGHTS[index], BIAS);
  return sigmoid(z);
};
