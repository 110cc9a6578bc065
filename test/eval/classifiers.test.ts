/** TF-IDF, logistic regression (gradient, training) and the most-frequent-tag tagger. */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { LogisticRegression, logisticLoss } from '../../src/eval/logistic-regression.js';
import { MostFrequentTagger } from '../../src/eval/pos-baseline.js';
import { TfidfLogisticClassifier } from '../../src/eval/text-classifier.js';
import { TfidfVectorizer, words, type SparseVector } from '../../src/eval/tfidf.js';

const close = (a: number, b: number, eps = 1e-9) => assert.ok(Math.abs(a - b) <= eps, `${a} != ${b}`);

test('words: lowercased runs of letters and digits, inner apostrophes kept', () => {
  assert.deepEqual(words("Don't STOP, 2 Times!"), ["don't", 'stop', '2', 'times']);
});

test('TF-IDF: sublinear tf, smoothed idf, l2 norm (hand-computed)', () => {
  // docs "a b" and "a c" (minDf 1): df(a) = 2, df(b) = df(a b) = 1; N = 2
  //   idf(a) = ln(3/3) + 1 = 1,   idf(b) = idf("a b") = ln(3/2) + 1
  // "a a b": tf(a) = 1 + ln 2, tf(b) = tf("a b") = 1; "a a" is not a training term.
  //   x = [(1 + ln 2) * 1, idf(b), idf(b)] / norm
  const v = new TfidfVectorizer(1).fit(['a b', 'a c']);
  const x = v.transform('a a b');
  const ib = Math.log(3 / 2) + 1;
  const raw = new Map([['a', 1 + Math.LN2], ['b', ib], ['a b', ib]]);
  const norm = Math.hypot(...raw.values());
  assert.equal(x.indices.length, 3);
  for (const [term, value] of raw) {
    const j = Array.from(x.indices).indexOf(v.vocabulary.get(term)!);
    close(x.values[j], value / norm);
  }
  // minDf 2 keeps only "a"
  assert.deepEqual([...new TfidfVectorizer(2).fit(['a b', 'a c']).vocabulary.keys()], ['a']);
});

/** A small random sparse problem. */
function problem(seed: number, n: number, features: number, classes: number) {
  let s = seed;
  const rand = () => ((s = (s * 1103515245 + 12345) % 2147483648) / 2147483648);
  const x: SparseVector[] = [];
  const y: number[] = [];
  for (let i = 0; i < n; i++) {
    const idx = [...new Set(Array.from({ length: 3 }, () => Math.floor(rand() * features)))].sort((a, b) => a - b);
    x.push({ indices: Int32Array.from(idx), values: Float64Array.from(idx, () => rand() * 2 - 1) });
    y.push(Math.floor(rand() * classes));
  }
  return { x, y };
}

test('logistic regression: the gradient equals float64 central differences', () => {
  const K = 3;
  const F = 5;
  const { x, y } = problem(7, 12, F, K);
  const params = Float64Array.from({ length: K * (F + 1) }, (_, i) => Math.sin(i + 1) * 0.7);
  const grad = new Float64Array(params.length);
  const c = 0.5;
  logisticLoss(params, grad, x, y, K, F, c);
  const scratch = new Float64Array(params.length);
  const h = 1e-6;
  for (let i = 0; i < params.length; i++) {
    const p = Float64Array.from(params);
    p[i] += h;
    const up = logisticLoss(p, scratch, x, y, K, F, c);
    p[i] -= 2 * h;
    const down = logisticLoss(p, scratch, x, y, K, F, c);
    const numeric = (up - down) / (2 * h);
    assert.ok(Math.abs(numeric - grad[i]) <= 1e-7 + 1e-6 * Math.abs(numeric), `parameter ${i}: analytic ${grad[i]} vs numeric ${numeric}`);
  }
});

test('logistic regression: the loss at zero is ln K, and training separates a separable set', () => {
  // three classes on three features: class k has feature k large
  const x: SparseVector[] = [];
  const y: number[] = [];
  for (let i = 0; i < 30; i++) {
    const k = i % 3;
    const other = (k + 1 + (i % 2)) % 3;
    x.push({ indices: Int32Array.from([k, other].sort()), values: Float64Array.from([k, other].sort(), (f) => (f === k ? 1 : 0.3)) });
    y.push(k);
  }
  const grad = new Float64Array(3 * 4);
  close(logisticLoss(new Float64Array(3 * 4), grad, x, y, 3, 3, 1), Math.log(3));
  const model = new LogisticRegression().fit(x, y, 3, 3, { c: 100 });
  x.forEach((v, i) => assert.equal(model.predict(v), y[i]));
  // the fit decreased the objective well below ln 3
  assert.ok(logisticLoss(model.params, grad, x, y, 3, 3, 100) < 0.3);
});

test('TF-IDF + logistic regression on a toy sentiment set', () => {
  const train = [
    { text: 'great film, loved it', label: 'positive' }, { text: 'loved the great acting', label: 'positive' },
    { text: 'great fun', label: 'positive' }, { text: 'awful film, hated it', label: 'negative' },
    { text: 'hated the awful plot', label: 'negative' }, { text: 'awful boring', label: 'negative' },
  ];
  const clf = new TfidfLogisticClassifier().fit(train);
  assert.deepEqual(clf.predict(['a great story', 'an awful story']), ['positive', 'negative']);
});

test('most-frequent-tag tagger: form, lowercased form, then the overall most frequent tag', () => {
  const tagger = new MostFrequentTagger().fit([
    { tokens: ['The', 'dog', 'runs'], tags: ['at', 'nn', 'vbz'] },
    { tokens: ['the', 'run', 'ends'], tags: ['at', 'nn', 'vbz'] },
    { tokens: ['We', 'run'], tags: ['ppss', 'vb'] },
    { tokens: ['a', 'dog', 'run'], tags: ['at', 'nn', 'nn'] },
    { tokens: ['the', 'a'], tags: ['at', 'at'] },
  ]);
  // "run": nn twice, vb once; "DOG" unseen as a form, lowercased "dog" is nn;
  // "cat" unseen: the overall most frequent tag, at (5 times; nn 4, vbz 2, ppss 1, vb 1)
  assert.deepEqual(tagger.tag(['run', 'DOG', 'cat', 'The']), ['nn', 'nn', 'at', 'at']);
});
