/**
 * Small WebAssembly SIMD kernels for the hot loops of the meta-features, assembled below from
 * named opcodes (no toolchain, no dependency; the module is a few hundred bytes). Each kernel puts
 * independent sums in the two lanes of a 128-bit vector and adds to each exactly as the scalar
 * code does — same terms, same order, multiply then add (no fused multiply-add) — so results are
 * bit-identical to the scalar loops. Where WebAssembly SIMD is unavailable, {@link simdKernels}
 * returns null and callers keep their scalar loops.
 *
 * - `sqdist(q0, q1, xt, stride, p, j0, j1, out0, out1)`: squared Euclidean distances from two
 *   queries (p values each at byte offsets q0, q1) to candidates j0 ≤ j < j1 stored
 *   coordinate-major (coordinate k of candidate j at xt + 8·(k·stride + j)); each d = 0, then
 *   d += (c_k − q_k)² for k = 0, 1, …; written at out0 + 8·j and out1 + 8·j, in whole blocks of
 *   eight candidates (so up to seven past j1).
 * - `dots2(x, y, z, bytes, out)`: the four-lane dot products x·y and x·z of
 *   `correlation.ts` — lane r sums x[i]·y[i] over i ≡ r (mod 4), i in order, over the first
 *   `bytes` / 8 entries (a multiple of four); the lanes are written at out (x·y lanes 0–3, then x·z).
 * - `cov8(r, acc, pp)`: one block of pca.ts's covariance: eight rows r_0..r_7 of pp doubles (pp
 *   even; row q at r + 8·q·pp) added to every cell a ≤ b of the pp × pp matrix at acc as
 *   acc + (x0·w0 + x1·w1 + x2·w2 + x3·w3) + (x4·w4 + x5·w5 + x6·w6 + x7·w7), x_q = r_q[a],
 *   w_q = r_q[b], left to right; two rows a, a + 1 by two cells b, b + 1 at a time (cells just
 *   below the diagonal are written too, and must not be read).
 * - `count2(x, y0, y1, n, t0, t1)` (plain WebAssembly, no SIMD: it only avoids the bounds checks of
 *   typed arrays): the pair tables of info-theory's attr_conc — for k < n, with s = x[k] (16-bit
 *   scaled codes at byte offset x), cell s + y0[k] of the 32-bit table t0 and cell s + y1[k] of t1
 *   (8-bit codes) gain one.
 * - `bestSplit(…)` (plain WebAssembly): the entropy tree's split search over every feature of a
 *   node (`tree-grower.ts`), the same integer counts and the same double operations in the same
 *   order as its scalar scans (see bestSplitBody).
 * - `classSums(data, p, rows, m, cls, means, out)` / `classSquares(…)`: naive Bayes' per-class
 *   column sums of a row-major matrix over rows in order (or sums of squared deviations from the
 *   class means), two columns per lane pair.
 * - `gram4(left, right, n, pp, g)`: sums of outer products over rows (`learners/gram.ts`): each
 *   upper cell of g gains Σ_i left[i][a] · right[i][b], row by row in row order; a lane per cell.
 * - `subRows(src, p, count, means, dst, dstStride)`: pca.ts's centring of a block of rows — for
 *   q < count and j < p, dst[q·dstStride + j] = src[q·p + j] − means[j] (rows of doubles), two
 *   columns a step (an odd last one alone); the same subtractions as the scalar copy.
 * - `rotate(upper, lower, n, c, s)`: one plane rotation of eigen.ts's QL iterations on two rows of
 *   n doubles — for k < n, with h = upper[k]: upper[k] = s·lower[k] + c·h, lower[k] = c·lower[k] − s·h;
 *   two entries a step (an odd last one alone), the scalar expression per entry.
 * - `nearestUpdate(i, out, n, folds, best, nearest)` (plain WebAssembly): the cross-validated
 *   1-NN's updates for query row i from its distances to the later rows (`plain-kernels.ts`): the
 *   same comparisons in the same order as the scalar loop.
 * - `partitionLists(lists, count, stride, goesLeft, buffer, start, end)` (plain WebAssembly): the
 *   tree's stable partition of entries [start, end) of `count` row lists (32-bit, list f at
 *   lists + f·stride bytes): rows whose goesLeft byte is 1 first, then the others, each in order.
 */

import { F64, I32, OP, SIMD, V128, addInt, assembleModule, compileModule, get, load, set, simd, store, tee, uleb, whileLess, zeroVector, type WasmInstance } from '../wasm/assembler.ts';
import { bestSplitBody, count2Body, nearestUpdateBody, partitionListsBody } from './plain-kernels.ts';

/** `into = from` rounded down to even (the entries the two-lane loops take two at a time). */
const evenFloor = (from: number, into: number) => [...get(from), OP.i32Const, 1, OP.i32ShrU, OP.i32Const, 1, OP.i32Shl, ...set(into)];

/**
 * sqdist's code. Parameters 0–8: q0, q1, xt, stride, p, j0, j1, out0, out1; locals: j, k, ptr, kb,
 * strideBytes (i32), a0..a7, qk0, qk1, w, t (v128). Each loaded candidate vector serves both queries.
 */
function sqdistBody(): number[] {
  const [Q0, Q1, XT, STRIDE, P, J0, J1, OUT0, OUT1] = [0, 1, 2, 3, 4, 5, 6, 7, 8];
  const [J, K, PTR, KB, STRIDE_BYTES, A0, QK0, QK1, W, T] = [9, 10, 11, 12, 13, 14, 22, 23, 24, 25];
  const squareInto = (acc: number, qk: number) => [
    ...get(acc), ...get(W), ...get(qk), ...simd(SIMD.f64x2Sub), ...tee(T), ...get(T), ...simd(SIMD.f64x2Mul), ...simd(SIMD.f64x2Add), ...set(acc),
  ];
  const lane = (l: number) => [...get(PTR), ...load(16 * l), ...set(W), ...squareInto(A0 + l, QK0), ...squareInto(A0 + 4 + l, QK1)];
  const splat = (q: number, into: number) => [...get(q), ...get(KB), OP.i32Add, OP.f64Load, 3, 0, ...simd(SIMD.f64x2Splat), ...set(into)];
  const coordinates = whileLess(K, P, [
    ...splat(Q0, QK0), ...splat(Q1, QK1),
    ...lane(0), ...lane(1), ...lane(2), ...lane(3),
    ...get(PTR), ...get(STRIDE_BYTES), OP.i32Add, ...set(PTR),
    ...addInt(KB, 8), ...addInt(K, 1),
  ]);
  const storeRow = (out: number, first: number) => [
    ...get(out), ...get(J), OP.i32Const, 3, OP.i32Shl, OP.i32Add, ...tee(PTR), ...get(first), ...store(0),
    ...get(PTR), ...get(first + 1), ...store(16), ...get(PTR), ...get(first + 2), ...store(32), ...get(PTR), ...get(first + 3), ...store(48),
  ];
  const candidates = whileLess(J, J1, [
    ...zeroVector, ...tee(A0), ...tee(A0 + 1), ...tee(A0 + 2), ...tee(A0 + 3), ...tee(A0 + 4), ...tee(A0 + 5), ...tee(A0 + 6), ...set(A0 + 7),
    ...get(XT), ...get(J), OP.i32Const, 3, OP.i32Shl, OP.i32Add, ...set(PTR),
    OP.i32Const, 0, ...set(KB), OP.i32Const, 0, ...set(K),
    ...coordinates,
    ...storeRow(OUT0, A0), ...storeRow(OUT1, A0 + 4),
    ...addInt(J, 8),
  ]);
  const locals = [2, 5, I32, 12, V128];
  return [...locals, ...get(STRIDE), OP.i32Const, 3, OP.i32Shl, ...set(STRIDE_BYTES), ...get(J0), ...set(J), ...candidates, OP.end];
}

/** dots2's code. Parameters 0–4: x, y, z, bytes, out; locals: b (i32), p01, p23, q01, q23, x01, x23 (v128). */
function dots2Body(): number[] {
  const [X, Y, Z, BYTES, OUT, B, P01, P23, Q01, Q23, X01, X23] = [0, 1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11];
  const at = (base: number, offset: number) => [...get(base), ...get(B), OP.i32Add, ...load(offset)];
  const madd = (acc: number, xs: number, base: number, offset: number) => [
    ...get(acc), ...get(xs), ...at(base, offset), ...simd(SIMD.f64x2Mul), ...simd(SIMD.f64x2Add), ...set(acc),
  ];
  const rows = whileLess(B, BYTES, [
    ...at(X, 0), ...set(X01), ...at(X, 16), ...set(X23),
    ...madd(P01, X01, Y, 0), ...madd(P23, X23, Y, 16), ...madd(Q01, X01, Z, 0), ...madd(Q23, X23, Z, 16),
    ...addInt(B, 32),
  ]);
  const locals = [2, 1, I32, 6, V128];
  return [
    ...locals, ...zeroVector, ...tee(P01), ...tee(P23), ...tee(Q01), ...set(Q23), OP.i32Const, 0, ...set(B),
    ...rows,
    ...get(OUT), ...get(P01), ...store(0), ...get(OUT), ...get(P23), ...store(16), ...get(OUT), ...get(Q01), ...store(32), ...get(OUT), ...get(Q23), ...store(48),
    OP.end,
  ];
}

/** cov8's code. Parameters 0–2: r, acc, pp; locals: rb, a, b, wp, ap, cp, tmp (i32), x0..x7, y0..y7, w0..w7, s, t (v128). */
function cov8Body(): number[] {
  const [R, ACC, PP, RB, A, B, WP, AP, CP, TMP, X, Y, W, S, T] = [0, 1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 18, 26, 34, 35];
  const mul = (xs: number, q: number) => [...get(xs + q), ...get(W + q), ...simd(SIMD.f64x2Mul)];
  const add = () => simd(SIMD.f64x2Add);
  /** ((x0·w0 + x1·w1) + x2·w2) + x3·w3 for q = first..first+3. */
  const four = (xs: number, first: number) => [...mul(xs, first), ...mul(xs, first + 1), ...add(), ...mul(xs, first + 2), ...add(), ...mul(xs, first + 3), ...add()];
  /** cell vector at ptr: (acc + four(0)) + four(4). */
  const update = (xs: number, ptr: number) => [
    ...four(xs, 0), ...set(S), ...four(xs, 4), ...set(T),
    ...get(ptr), ...get(ptr), ...load(0), ...get(S), ...add(), ...get(T), ...add(), ...store(0),
  ];
  const splatRow = (xs: number, offset: number) => {
    const code = [...get(R), ...get(A), OP.i32Const, 3, OP.i32Shl, OP.i32Add, ...set(TMP)];
    for (let q = 0; q < 8; q++) {
      code.push(...get(TMP), OP.f64Load, 3, ...uleb(offset), ...simd(SIMD.f64x2Splat), ...set(xs + q));
      if (q < 7) code.push(...get(TMP), ...get(RB), OP.i32Add, ...set(TMP));
    }
    return code;
  };
  const loadW = [...get(WP), ...set(TMP)];
  for (let q = 0; q < 8; q++) {
    loadW.push(...get(TMP), ...load(0), ...set(W + q));
    if (q < 7) loadW.push(...get(TMP), ...get(RB), OP.i32Add, ...set(TMP));
  }
  const cells = whileLess(B, PP, [
    ...loadW, ...update(X, AP), ...update(Y, CP),
    ...addInt(WP, 16), ...addInt(AP, 16), ...addInt(CP, 16), ...addInt(B, 2),
  ]);
  const rows = whileLess(A, PP, [
    ...splatRow(X, 0), ...splatRow(Y, 8),
    ...get(A), ...set(B),
    ...get(R), ...get(A), OP.i32Const, 3, OP.i32Shl, OP.i32Add, ...set(WP),
    // ap = acc + 8·(a·pp + a), cp = ap + rb
    ...get(ACC), ...get(A), ...get(PP), OP.i32Mul, ...get(A), OP.i32Add, OP.i32Const, 3, OP.i32Shl, OP.i32Add, ...tee(AP),
    ...get(RB), OP.i32Add, ...set(CP),
    ...cells,
    ...addInt(A, 2),
  ]);
  const locals = [2, 7, I32, 26, V128];
  return [...locals, ...get(PP), OP.i32Const, 3, OP.i32Shl, ...set(RB), OP.i32Const, 0, ...set(A), ...rows, OP.end];
}

/**
 * classSums' code (`squares` false) or classSquares' (true). Parameters: data, p, rows, m, cls,
 * means, out (i32); for k < m, with r = rows[k], c = cls[k]: out_c[j] += x_r[j] (or
 * += (x_r[j] − means_c[j])²) for every column j, two columns a step (an odd last one alone);
 * out_c and means_c are rows of p doubles. Locals: k, x, o, mu, j, pairs (i32), v (v128), s (f64).
 */
function classSumsBody(squares: boolean): number[] {
  const [DATA, P, ROWS, M, CLS, MEANS, OUT, K, X, O, MU, J, PAIRS, V, S] = [0, 1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 12, 13, 14];
  const rowBase = (base: number, index: number[]) => [...get(base), ...index, ...get(P), OP.i32Mul, OP.i32Const, 3, OP.i32Shl, OP.i32Add]; // base + 8·p·index
  const at = (ptr: number) => [...get(ptr), ...get(J), OP.i32Const, 3, OP.i32Shl, OP.i32Add]; // ptr + 8·j
  const item = (ptr: number) => [...get(ptr), ...get(K), OP.i32Const, 2, OP.i32Shl, OP.i32Add, OP.i32Load, 2, 0]; // ptr[k] (i32)
  const vectorTerm = squares
    ? [...at(X), ...load(0), ...at(MU), ...load(0), ...simd(SIMD.f64x2Sub), ...set(V), ...get(V), ...get(V), ...simd(SIMD.f64x2Mul)]
    : [...at(X), ...load(0)];
  const scalarTerm = squares
    ? [...at(X), OP.f64Load, 3, 0, ...at(MU), OP.f64Load, 3, 0, OP.f64Sub, ...set(S), ...get(S), ...get(S), OP.f64Mul]
    : [...at(X), OP.f64Load, 3, 0];
  const pairsLoop = whileLess(J, PAIRS, [
    ...at(O), ...at(O), ...load(0), ...vectorTerm, ...simd(SIMD.f64x2Add), ...store(0),
    ...addInt(J, 2),
  ]);
  const rows = whileLess(K, M, [
    ...rowBase(DATA, item(ROWS)), ...set(X),
    ...rowBase(OUT, item(CLS)), ...set(O),
    ...rowBase(MEANS, item(CLS)), ...set(MU),
    OP.i32Const, 0, ...set(J),
    ...pairsLoop,
    // an odd last column
    ...get(J), ...get(P), OP.i32LtS, OP.if, OP.void,
    ...at(O), ...at(O), OP.f64Load, 3, 0, ...scalarTerm, OP.f64Add, OP.f64Store, 3, 0,
    OP.end,
    ...addInt(K, 1),
  ]);
  return [
    3, 6, I32, 1, V128, 1, F64,
    ...evenFloor(P, PAIRS),
    OP.i32Const, 0, ...set(K),
    ...rows,
    OP.end,
  ];
}

/**
 * gram4's code. Parameters: left, right (row-major, n rows of pp doubles, pp a multiple of 4), n,
 * pp, g (pp × pp); every cell (a, b) with b ≥ a's block of four gains Σ_i left[i][a] · right[i][b],
 * added row by row in row order onto its current value (cells below the diagonal inside the
 * diagonal blocks too: they must not be read). Four rows a by four cells b (two vectors) a step.
 * Locals: a, b, i, rowBytes, lp, rp, gp (i32), acc0..acc7, s0..s3, w0, w1 (v128).
 */
function gram4Body(): number[] {
  const [L, R, N, PP, G, A, B, I, ROW_BYTES, LP, RP, GP, ACC, S, W] = [0, 1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 12, 20, 24];
  const accumulators = (action: 'load' | 'store') => {
    const code: number[] = [];
    for (let t = 0; t < 4; t++) {
      for (let h = 0; h < 2; h++) {
        // cell block row a + t at gp + t·rowBytes, vector h at + 16h
        code.push(...get(GP));
        for (let u = 0; u < t; u++) code.push(...get(ROW_BYTES), OP.i32Add);
        code.push(...(action === 'load' ? [...load(16 * h), ...set(ACC + 2 * t + h)] : [...get(ACC + 2 * t + h), ...store(16 * h)]));
      }
    }
    return code;
  };
  const madd = (acc: number, s: number, w: number) => [...get(acc), ...get(s), ...get(w), ...simd(SIMD.f64x2Mul), ...simd(SIMD.f64x2Add), ...set(acc)];
  const rowStep = [
    ...[0, 1, 2, 3].flatMap((t) => [...get(LP), OP.f64Load, 3, 8 * t, ...simd(SIMD.f64x2Splat), ...set(S + t)]),
    ...get(RP), ...load(0), ...set(W), ...get(RP), ...load(16), ...set(W + 1),
    ...[0, 1, 2, 3].flatMap((t) => [...madd(ACC + 2 * t, S + t, W), ...madd(ACC + 2 * t + 1, S + t, W + 1)]),
    ...get(LP), ...get(ROW_BYTES), OP.i32Add, ...set(LP), ...get(RP), ...get(ROW_BYTES), OP.i32Add, ...set(RP),
    ...addInt(I, 1),
  ];
  const cells = whileLess(B, PP, [
    ...get(G), ...get(A), ...get(PP), OP.i32Mul, ...get(B), OP.i32Add, OP.i32Const, 3, OP.i32Shl, OP.i32Add, ...set(GP),
    ...accumulators('load'),
    OP.i32Const, 0, ...set(I),
    ...get(L), ...get(A), OP.i32Const, 3, OP.i32Shl, OP.i32Add, ...set(LP),
    ...get(R), ...get(B), OP.i32Const, 3, OP.i32Shl, OP.i32Add, ...set(RP),
    ...whileLess(I, N, rowStep),
    ...accumulators('store'),
    ...addInt(B, 4),
  ]);
  const blocks = whileLess(A, PP, [...get(A), ...set(B), ...cells, ...addInt(A, 4)]);
  return [2, 7, I32, 14, V128, ...get(PP), OP.i32Const, 3, OP.i32Shl, ...set(ROW_BYTES), OP.i32Const, 0, ...set(A), ...blocks, OP.end];
}

/**
 * subRows' code. Parameters: src, p, count, means, dst, dstStride (i32). Locals: q, j, pairs, from,
 * to (i32).
 */
function subRowsBody(): number[] {
  const [SRC, P, COUNT, MEANS, DST, DST_STRIDE, Q, J, PAIRS, FROM, TO] = [0, 1, 2, 3, 4, 5, 6, 7, 8, 9, 10];
  const at = (ptr: number) => [...get(ptr), ...get(J), OP.i32Const, 3, OP.i32Shl, OP.i32Add]; // ptr + 8·j
  const pairsLoop = whileLess(J, PAIRS, [
    ...at(TO), ...at(FROM), ...load(0), ...at(MEANS), ...load(0), ...simd(SIMD.f64x2Sub), ...store(0),
    ...addInt(J, 2),
  ]);
  const rows = whileLess(Q, COUNT, [
    // from = src + 8·p·q, to = dst + 8·dstStride·q
    ...get(SRC), ...get(Q), ...get(P), OP.i32Mul, OP.i32Const, 3, OP.i32Shl, OP.i32Add, ...set(FROM),
    ...get(DST), ...get(Q), ...get(DST_STRIDE), OP.i32Mul, OP.i32Const, 3, OP.i32Shl, OP.i32Add, ...set(TO),
    OP.i32Const, 0, ...set(J),
    ...pairsLoop,
    // an odd last column
    ...get(J), ...get(P), OP.i32LtS, OP.if, OP.void,
    ...at(TO), ...at(FROM), OP.f64Load, 3, 0, ...at(MEANS), OP.f64Load, 3, 0, OP.f64Sub, OP.f64Store, 3, 0,
    OP.end,
    ...addInt(Q, 1),
  ]);
  return [
    1, 5, I32,
    ...evenFloor(P, PAIRS),
    OP.i32Const, 0, ...set(Q),
    ...rows,
    OP.end,
  ];
}

/** rotate's code. Parameters: upper, lower, n (i32), c, s (f64). Locals: k, pairs, pu, pl (i32), cv, sv, u, l (v128), h (f64). */
function rotateBody(): number[] {
  const [UPPER, LOWER, N, C, S, K, PAIRS, PU, PL, CV, SV, U, L, H] = [0, 1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 12, 13];
  const at = (ptr: number, into: number) => [...get(ptr), ...get(K), OP.i32Const, 3, OP.i32Shl, OP.i32Add, ...set(into)];
  const mul = (a: number, b: number) => [...get(a), ...get(b), ...simd(SIMD.f64x2Mul)];
  const pairsLoop = whileLess(K, PAIRS, [
    ...at(UPPER, PU), ...at(LOWER, PL),
    ...get(PU), ...load(0), ...set(U), ...get(PL), ...load(0), ...set(L),
    ...get(PU), ...mul(SV, L), ...mul(CV, U), ...simd(SIMD.f64x2Add), ...store(0),
    ...get(PL), ...mul(CV, L), ...mul(SV, U), ...simd(SIMD.f64x2Sub), ...store(0),
    ...addInt(K, 2),
  ]);
  const f64 = (local: number) => [...get(local), OP.f64Load, 3, 0];
  return [
    3, 4, I32, 4, V128, 1, F64,
    ...get(C), ...simd(SIMD.f64x2Splat), ...set(CV), ...get(S), ...simd(SIMD.f64x2Splat), ...set(SV),
    ...evenFloor(N, PAIRS),
    OP.i32Const, 0, ...set(K),
    ...pairsLoop,
    // an odd last entry
    ...get(K), ...get(N), OP.i32LtS, OP.if, OP.void,
    ...at(UPPER, PU), ...at(LOWER, PL),
    ...f64(PU), ...set(H),
    ...get(PU), ...get(S), ...f64(PL), OP.f64Mul, ...get(C), ...get(H), OP.f64Mul, OP.f64Add, OP.f64Store, 3, 0,
    ...get(PL), ...get(C), ...f64(PL), OP.f64Mul, ...get(S), ...get(H), OP.f64Mul, OP.f64Sub, OP.f64Store, 3, 0,
    OP.end,
    OP.end,
  ];
}

const KERNELS = ['sqdist', 'dots2', 'cov8', 'count2', 'bestSplit', 'partitionLists', 'classSums', 'classSquares', 'gram4', 'subRows', 'rotate', 'nearestUpdate'] as const;

function moduleBytes(): Uint8Array {
  const ints = (n: number) => Array<number>(n).fill(I32);
  return assembleModule([
    { name: 'sqdist', params: ints(9), results: [], body: sqdistBody() },
    { name: 'dots2', params: ints(5), results: [], body: dots2Body() },
    { name: 'cov8', params: ints(3), results: [], body: cov8Body() },
    { name: 'count2', params: ints(6), results: [], body: count2Body() },
    { name: 'bestSplit', params: [...ints(14), F64, I32], results: [I32], body: bestSplitBody() },
    { name: 'partitionLists', params: ints(7), results: [], body: partitionListsBody() },
    { name: 'classSums', params: ints(7), results: [], body: classSumsBody(false) },
    { name: 'classSquares', params: ints(7), results: [], body: classSumsBody(true) },
    { name: 'gram4', params: ints(5), results: [], body: gram4Body() },
    { name: 'subRows', params: ints(6), results: [], body: subRowsBody() },
    { name: 'rotate', params: [...ints(3), F64, F64], results: [], body: rotateBody() },
    { name: 'nearestUpdate', params: ints(6), results: [], body: nearestUpdateBody() },
  ]);
}

/**
 * The kernels and their memory. The memory belongs to the caller until the next call of
 * {@link simdKernels}, which may reuse (and clear) it: views into it must not be kept past that.
 */
export interface SimdKernels {
  /** The memory as doubles: at least as many as asked for, the first `clear` of them zero. */
  readonly memory: Float64Array;
  /** See the module comment; offsets in bytes. */
  sqdist(q0: number, q1: number, xt: number, stride: number, p: number, j0: number, j1: number, out0: number, out1: number): void;
  dots2(x: number, y: number, z: number, bytes: number, out: number): void;
  cov8(r: number, acc: number, pp: number): void;
  count2(x: number, y0: number, y1: number, n: number, t0: number, t1: number): void;
  bestSplit(lists: number, listStride: number, nFeatures: number, slots: number, values: number, columnStride: number, y: number, left: number, total: number, step: number, xlogx: number, start: number, end: number, nClasses: number, sumTotal: number, out: number): number;
  partitionLists(lists: number, count: number, stride: number, goesLeft: number, buffer: number, start: number, end: number): void;
  classSums(data: number, p: number, rows: number, m: number, cls: number, means: number, out: number): void;
  classSquares(data: number, p: number, rows: number, m: number, cls: number, means: number, out: number): void;
  gram4(left: number, right: number, n: number, pp: number, g: number): void;
  subRows(src: number, p: number, count: number, means: number, dst: number, dstStride: number): void;
  rotate(upper: number, lower: number, n: number, c: number, s: number): void;
  nearestUpdate(i: number, out: number, n: number, folds: number, best: number, nearest: number): void;
}

/** Largest memory a caller may ask for; beyond it, {@link simdKernels} returns null (use the scalar loops). */
export const SIMD_MEMORY_LIMIT = 256 * 1024 * 1024;

/**
 * Requests up to this size share one instance (its memory is kept for the process: no
 * allocation, page faults or collection per request); larger ones get their own, freed with it.
 */
const SHARED_MEMORY_LIMIT = 64 * 1024 * 1024;

let factory: (() => WasmInstance | null) | null | undefined;
let shared: WasmInstance | null = null;
let enabled = true;

/**
 * Turns the kernels off (every caller then runs its scalar code, with the same results) or back
 * on: for tests of the scalar paths, and for debugging.
 */
export function useKernels(on: boolean): void {
  enabled = on;
}

/** @returns whether the kernels are on (see {@link useKernels}) */
export function kernelsOn(): boolean {
  return enabled;
}

/**
 * The kernels with a memory of at least `doubles` doubles, the first `clear` of them zero: one
 * shared instance for requests up to 64 MiB, a fresh instance beyond (the module is compiled once
 * per process).
 * @returns the kernels, or null where WebAssembly SIMD is unavailable or above 256 MiB
 */
export function simdKernels(doubles: number, clear = doubles): SimdKernels | null {
  const bytes = 8 * doubles;
  if (!enabled || bytes > SIMD_MEMORY_LIMIT) return null;
  if (factory === undefined) factory = compileModule(moduleBytes(), KERNELS);
  if (factory === null) return null;
  const reuse = bytes <= SHARED_MEMORY_LIMIT;
  const instance = reuse && shared !== null ? shared : factory();
  if (instance === null) return null;
  if (reuse) shared = instance;
  const { memory, functions: f } = instance;
  if (memory.buffer.byteLength < bytes) memory.grow(Math.ceil((bytes - memory.buffer.byteLength) / 65536));
  const view = new Float64Array(memory.buffer);
  if (instance === shared) view.fill(0, 0, clear); // a fresh memory is zero already
  return {
    memory: view,
    sqdist: (...args) => void f.sqdist(...args),
    dots2: (...args) => void f.dots2(...args),
    cov8: (...args) => void f.cov8(...args),
    count2: (...args) => void f.count2(...args),
    bestSplit: (...args) => Number(f.bestSplit(...args)),
    partitionLists: (...args) => void f.partitionLists(...args),
    classSums: (...args) => void f.classSums(...args),
    classSquares: (...args) => void f.classSquares(...args),
    gram4: (...args) => void f.gram4(...args),
    subRows: (...args) => void f.subRows(...args),
    rotate: (...args) => void f.rotate(...args),
    nearestUpdate: (...args) => void f.nearestUpdate(...args),
  };
}
