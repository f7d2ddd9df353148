#!/usr/bin/env python3
"""The peer baseline: what a data team would otherwise write for Chinese VoC coding in Python.

jieba (segmentation, with every code-frame term as a user word) + OpenCC t2s (the C++ binding)
+ NFKC full-width folding + a few PII regexes + dictionary coding against the same code frame
(config/codeframe.yaml) + clause polarity from a small opinion list with negation.

Two modes, one JSON object on stdout:
  stage  texts loaded in memory first, then timed: normalise → redact → segment → code → polarity
         (the same scope as voc-stream's NLP stage alone, stage 1 of the benchmark)
  e2e    file → json.loads + field checks → the same analysis → coded JSONL file
         (the peer of the embedded replay, stage 2; it stores to a file, not a database)

Usage: peer.py --mode stage|e2e --corpus FILE --codeframe config/codeframe.yaml [--out FILE] [--limit N]
"""
import argparse
import json
import re
import sys
import time
import unicodedata

import jieba
import opencc
import yaml

CHANNELS = {"hotline", "survey", "private_domain", "social", "dealer"}
POSITIVE = "好 不错 满意 喜欢 舒服 流畅 平顺 顺滑 给力 强劲 充沛 宽敞 精致 实惠 良心 热情 专业 耐心 及时 方便 灵敏 扎实 稳 靠谱 好看 大气 时尚 好用 省油 出色 周到 线性 轻盈 精准 亮 值".split()
NEGATIVE = "差 失望 顿挫 卡顿 死机 卡 慢 异响 异味 虚标 缩水 掉电 贵 吵 硬 松散 廉价 粗糙 推诿 敷衍 忽悠 丑 一般 局促 挤 肉 弱 没劲 迟缓 偏软 暗 难找 坏 后悔 不值 乱收费 断连 黑屏 掉漆 色差 颠簸 不足 严重 明显".split()
NEGATORS = set("不 没 没有 无 未 不太 并不 没那么 别".split())
DEGREE = {"很": 1.5, "非常": 1.8, "太": 2.0, "特别": 1.8, "有点": 0.6, "稍微": 0.5, "比较": 1.2, "超级": 2.0, "真的": 1.3}
CLAUSE_SPLIT = re.compile(r"[，。！？；,.!?;\s]+|但是|不过|就是|可是|只是")
PII = [
    ("mobile", re.compile(r"(?:\+?86[ -]?)?1[3-9]\d[ -]?\d{4}[ -]?\d{4}")),
    ("email", re.compile(r"[\w.+-]+@[\w-]+\.[\w.]+")),
    ("vin", re.compile(r"\b[A-HJ-NPR-Z0-9]{17}\b")),
    ("plate", re.compile(r"[京沪津渝冀豫云辽黑湘皖鲁新苏浙赣鄂桂甘晋蒙陕吉闽贵粤青藏川宁琼][A-Z]·?[A-Z0-9]{5,6}")),
]


def load_frame(path):
    with open(path, encoding="utf-8") as f:
        frame = yaml.safe_load(f)
    term_codes = {}
    for d in frame.get("domains", []):
        for c in d.get("components", []) or []:
            for leaf in c.get("leaves", []) or []:
                code = f"{d['id']}.{c['id']}.{leaf['id']}"
                for t in leaf.get("terms", []) or []:
                    term_codes.setdefault(str(t), []).append(code)
    return term_codes


class Analyzer:
    def __init__(self, term_codes):
        self.cc = opencc.OpenCC("t2s")
        self.term_codes = term_codes
        jieba.setLogLevel(60)
        jieba.initialize()
        for t in term_codes:
            jieba.add_word(t, freq=100000)
        self.pol = {w: 1 for w in POSITIVE}
        self.pol.update({w: -1 for w in NEGATIVE})

    def analyze(self, text):
        t = unicodedata.normalize("NFKC", text)
        t = self.cc.convert(t)
        t = re.sub(r"\s+", " ", t).strip()
        redactions = {}
        for kind, rx in PII:
            t, n = rx.subn(f"〔{kind}〕", t)
            if n:
                redactions[kind] = n
        hits = []
        doc = 0.0
        for ci, clause in enumerate(c for c in CLAUSE_SPLIT.split(t) if c):
            tokens = jieba.lcut(clause)
            score = 0.0
            weight = 1.0
            negated = False
            for tok in tokens:
                if tok in NEGATORS:
                    negated = True
                elif tok in DEGREE:
                    weight = DEGREE[tok]
                elif tok in self.pol:
                    s = self.pol[tok] * weight
                    score += -s if negated else s
                    negated = False
                    weight = 1.0
            polarity = 1 if score > 0 else -1 if score < 0 else 0
            doc += score
            for tok in tokens:
                codes = self.term_codes.get(tok)
                if codes:
                    for code in codes:
                        hits.append({"code": code, "term": tok, "clause": ci, "sentiment": polarity})
        return {"text": t, "redactions": redactions, "hits": hits, "sentiment": 1 if doc > 0 else -1 if doc < 0 else 0}


def read_texts(path, limit):
    texts = []
    with open(path, encoding="utf-8") as f:
        for line in f:
            if limit and len(texts) >= limit:
                break
            try:
                e = json.loads(line)
            except ValueError:
                continue
            if isinstance(e, dict) and isinstance(e.get("text"), str) and e["text"].strip():
                texts.append(e["text"])
    return texts


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("--mode", choices=["stage", "e2e"], required=True)
    ap.add_argument("--corpus", required=True)
    ap.add_argument("--codeframe", required=True)
    ap.add_argument("--out", default="/dev/null")
    ap.add_argument("--limit", type=int, default=0)
    a = ap.parse_args()

    t_load = time.perf_counter()
    an = Analyzer(load_frame(a.codeframe))
    an.analyze("预热：变速箱顿挫很明显，车机卡顿")  # builds jieba's prefix dict caches
    load_s = time.perf_counter() - t_load

    if a.mode == "stage":
        texts = read_texts(a.corpus, a.limit)
        nbytes = sum(len(t.encode("utf-8")) for t in texts)
        hits = 0
        t0 = time.perf_counter()
        c0 = time.process_time()
        for t in texts:
            hits += len(an.analyze(t)["hits"])
        s = time.perf_counter() - t0
        cpu = time.process_time() - c0
        out = {"mode": "stage", "docs": len(texts), "bytes": nbytes, "seconds": s, "docsPerSec": len(texts) / s, "mbPerSec": nbytes / 1e6 / s, "cpuSeconds": cpu, "docsPerCpuSec": len(texts) / cpu, "hits": hits, "loadSeconds": load_s}
    else:
        docs = bad = hits = 0
        t0 = time.perf_counter()
        c0 = time.process_time()
        with open(a.corpus, encoding="utf-8") as f, open(a.out, "w", encoding="utf-8") as w:
            for line in f:
                if a.limit and docs + bad >= a.limit:
                    break
                try:
                    e = json.loads(line)
                    ok = isinstance(e, dict) and e.get("channel") in CHANNELS and isinstance(e.get("text"), str) and e["text"].strip() != ""
                except ValueError:
                    ok = False
                if not ok:
                    bad += 1
                    continue
                r = an.analyze(e["text"])
                hits += len(r["hits"])
                w.write(json.dumps({"sourceId": e.get("sourceId"), "channel": e["channel"], **r}, ensure_ascii=False) + "\n")
                docs += 1
        s = time.perf_counter() - t0
        cpu = time.process_time() - c0
        out = {"mode": "e2e", "docs": docs, "bad": bad, "seconds": s, "docsPerSec": docs / s, "cpuSeconds": cpu, "docsPerCpuSec": docs / cpu, "hits": hits, "loadSeconds": load_s}
    json.dump(out, sys.stdout)
    sys.stdout.write("\n")


if __name__ == "__main__":
    main()
