/**
 * The code of the plain (non-SIMD) WebAssembly kernels of `simd-kernels.ts`: attr_conc's pair
 * counting, the entropy tree's split search and partition, and the cross-validated 1-NN's updates. They gain by avoiding the bounds
 * checks of typed arrays; their arithmetic is the scalar code's, operation for operation.
 */
import { F64, I32, OP, addInt, f64Bytes, get, set, tee, whileLess } from '../wasm/assembler.ts';

/** count2's code. Parameters 0–5: x, y0, y1, n, t0, t1; locals: k, s, cell (i32). */
export function count2Body(): number[] {
  const [X, Y0, Y1, N, T0, T1, K, S, CELL] = [0, 1, 2, 3, 4, 5, 6, 7, 8];
  const increment = (y: number, table: number) => [
    ...get(table), ...get(S), ...get(y), ...get(K), OP.i32Add, OP.i32Load8U, 0, 0, OP.i32Add, OP.i32Const, 2, OP.i32Shl, OP.i32Add, ...tee(CELL),
    ...get(CELL), OP.i32Load, 2, 0, OP.i32Const, 1, OP.i32Add, OP.i32Store, 2, 0,
  ];
  const rows = whileLess(K, N, [
    ...get(X), ...get(K), OP.i32Const, 1, OP.i32Shl, OP.i32Add, OP.i32Load16U, 1, 0, ...set(S),
    ...increment(Y0, T0), ...increment(Y1, T1),
    ...addInt(K, 1),
  ]);
  return [1, 3, I32, OP.i32Const, 0, ...set(K), ...rows, OP.end];
}

/**
 * bestSplit's code: the tree's scan of every allowed feature of a node in one call — a separated
 * feature (slot −1: all its values more than 1e-7 apart, so never constant in a node of two or
 * more rows) is scanned at every cut; another (its column copy at values + slot · columnStride)
 * is skipped when constant in the node (last value ≤ first + 1e-7), else scanned only between
 * values more than 1e-7 apart. Σ c log c of each side is updated as left += step[l],
 * right −= step[total − l − 1]; a cut is taken when its cost is below the best so far − 1e-12,
 * the best carried from feature to feature. Parameters: lists, listStride, nFeatures, slots
 * (i32 per feature), values, columnStride, y, left, total, step, xlogx, start, end, nClasses
 * (i32), sumTotal (f64), out (i32); returns the best feature index (−1 if none) and writes its
 * cost (f64) at out and its left size (i32) at out + 8.
 */
export function bestSplitBody(): number[] {
  const [LISTS, LIST_STRIDE, NFEATURES, SLOTS, VALUES0, COLUMN_STRIDE, Y, LEFT, TOTAL, STEP, XLOGX, START, END, NCLASSES, SUM_TOTAL, OUT] =
    [0, 1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 12, 13, 14, 15];
  const [K, C, LA, L, NLEFT, N, LEFT_SIZE, LAST, FI, LIST, VALUES, BEST_FI, BEST_LEFT, SLOT] = [16, 17, 18, 19, 20, 21, 22, 23, 24, 25, 26, 27, 28, 29];
  const [COST, SUM_LEFT, SUM_RIGHT, CANDIDATE, V, NEXT] = [30, 31, 32, 33, 34, 35];
  const index = (base: number, bits: number) => [OP.i32Const, bits, OP.i32Shl, ...get(base), OP.i32Add]; // base + (top << bits)
  const i32At = [OP.i32Load, 2, 0];
  const f64At = [OP.f64Load, 3, 0];
  const valueAt = (position: number[]) => [...position, ...index(LIST, 2), ...i32At, ...index(VALUES, 3), ...f64At]; // values[list[position]]
  const candidate = [
    ...get(K), ...get(START), OP.i32Sub, OP.i32Const, 1, OP.i32Add, ...set(NLEFT),
    ...get(NLEFT), ...index(XLOGX, 3), ...f64At, ...get(SUM_LEFT), OP.f64Sub,
    ...get(N), ...get(NLEFT), OP.i32Sub, ...index(XLOGX, 3), ...f64At, OP.f64Add,
    ...get(SUM_RIGHT), OP.f64Sub, ...tee(CANDIDATE),
    ...get(COST), OP.f64Const, ...f64Bytes(1e-12), OP.f64Sub, OP.f64Lt,
    OP.if, OP.void, ...get(CANDIDATE), ...set(COST), ...get(NLEFT), ...set(LEFT_SIZE), OP.end,
  ];
  const gapped = [
    ...valueAt([...get(K), OP.i32Const, 1, OP.i32Add]), ...set(NEXT),
    ...get(NEXT), ...get(V), OP.f64Const, ...f64Bytes(1e-7), OP.f64Add, OP.f64Le,
    OP.if, OP.void, OP.else, ...candidate, OP.end,
    ...get(NEXT), ...set(V),
  ];
  const rows = (ties: boolean) => whileLess(K, LAST, [
    ...get(K), ...index(LIST, 2), ...i32At, ...index(Y, 2), ...i32At, ...set(C),
    ...get(C), ...index(LEFT, 2), ...tee(LA), ...i32At, ...set(L),
    ...get(SUM_LEFT), ...get(L), ...index(STEP, 3), ...f64At, OP.f64Add, ...set(SUM_LEFT),
    ...get(SUM_RIGHT), ...get(C), ...index(TOTAL, 2), ...i32At, ...get(L), OP.i32Sub, OP.i32Const, 1, OP.i32Sub, ...index(STEP, 3), ...f64At, OP.f64Sub, ...set(SUM_RIGHT),
    ...get(LA), ...get(L), OP.i32Const, 1, OP.i32Add, OP.i32Store, 2, 0,
    ...(ties ? gapped : candidate),
    ...addInt(K, 1),
  ]);
  const scan = (ties: boolean) => [
    OP.i32Const, 0, ...set(C),
    ...whileLess(C, NCLASSES, [...get(C), ...index(LEFT, 2), OP.i32Const, 0, OP.i32Store, 2, 0, ...addInt(C, 1)]),
    OP.f64Const, ...f64Bytes(0), ...set(SUM_LEFT), ...get(SUM_TOTAL), ...set(SUM_RIGHT),
    OP.i32Const, 0, ...set(LEFT_SIZE), ...get(START), ...set(K),
    ...(ties ? [...valueAt(get(START)), ...set(V)] : []),
    ...rows(ties),
    ...get(LEFT_SIZE), OP.if, OP.void, ...get(FI), ...set(BEST_FI), ...get(LEFT_SIZE), ...set(BEST_LEFT), OP.end,
  ];
  const features = whileLess(FI, NFEATURES, [
    ...get(LISTS), ...get(FI), ...get(LIST_STRIDE), OP.i32Mul, OP.i32Add, ...set(LIST),
    ...get(FI), ...index(SLOTS, 2), ...i32At, ...tee(SLOT), OP.i32Const, 0, OP.i32LtS,
    OP.if, OP.void, ...scan(false), OP.else,
    ...get(VALUES0), ...get(SLOT), ...get(COLUMN_STRIDE), OP.i32Mul, OP.i32Add, ...set(VALUES),
    // constant in this node: its last value at most 1e-7 above its first
    ...valueAt([...get(END), OP.i32Const, 1, OP.i32Sub]), ...valueAt(get(START)), OP.f64Const, ...f64Bytes(1e-7), OP.f64Add, OP.f64Le,
    OP.if, OP.void, OP.else, ...scan(true), OP.end,
    OP.end,
    ...addInt(FI, 1),
  ]);
  return [
    2, 14, I32, 6, F64,
    ...get(END), ...get(START), OP.i32Sub, ...set(N), ...get(END), OP.i32Const, 1, OP.i32Sub, ...set(LAST),
    OP.f64Const, ...f64Bytes(Infinity), ...set(COST), OP.i32Const, 0x7f, ...set(BEST_FI), // −1 (signed LEB128)
    ...features,
    ...get(OUT), ...get(COST), OP.f64Store, 3, 0, ...get(OUT), ...get(BEST_LEFT), OP.i32Store, 2, 8,
    ...get(BEST_FI),
    OP.end,
  ];
}

/**
 * partitionLists' code. Parameters 0–6: lists, count, stride, goesLeft, buffer, start, end;
 * locals: f, list, k, l, b, r, g (i32).
 */
export function partitionListsBody(): number[] {
  const [LISTS, COUNT, STRIDE, GOES_LEFT, BUFFER, START, END, F, LIST, K, L, B, R, G] = [0, 1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 12, 13];
  const at = (base: number, index: number) => [...get(base), ...get(index), OP.i32Const, 2, OP.i32Shl, OP.i32Add]; // base + 4·index
  const entries = whileLess(K, END, [
    ...at(LIST, K), OP.i32Load, 2, 0, ...set(R),
    ...get(GOES_LEFT), ...get(R), OP.i32Add, OP.i32Load8U, 0, 0, ...set(G),
    ...at(LIST, L), ...get(R), OP.i32Store, 2, 0, // l ≤ k: never an entry still to be read
    ...at(BUFFER, B), ...get(R), OP.i32Store, 2, 0,
    ...get(L), ...get(G), OP.i32Add, ...set(L),
    ...get(B), OP.i32Const, 1, OP.i32Add, ...get(G), OP.i32Sub, ...set(B),
    ...addInt(K, 1),
  ]);
  const lists = whileLess(F, COUNT, [
    ...get(START), ...tee(L), ...set(K), OP.i32Const, 0, ...set(B),
    ...entries,
    ...at(LIST, L), ...get(BUFFER), ...get(B), OP.i32Const, 2, OP.i32Shl, ...OP.memoryCopy, // the right part after the left
    ...get(LIST), ...get(STRIDE), OP.i32Add, ...set(LIST),
    ...addInt(F, 1),
  ]);
  return [1, 7, I32, ...get(LISTS), ...set(LIST), ...lists, OP.end];
}

/**
 * nearestUpdate's code: the updates of `learners/nearest-neighbor.ts` for query row i, whose
 * distances to the rows after it are at `out` (doubles, indexed by row). Parameters 0–5: i, out, n,
 * folds (i32 per row), best (f64 per row), nearest (i32 per row) — byte offsets; for j = i + 1 … n − 1
 * in another fold than i: d = out[j]; if d < best so far of i, it becomes i's best with j; if
 * d < best[j], j's best becomes d with i; then best[i], nearest[i] are written back. Locals: j, fi,
 * ni, p (i32), bi, d (f64).
 */
export function nearestUpdateBody(): number[] {
  const [I, OUT, N, FOLDS, BEST, NEAREST, J, FI, NI, P, BI, D] = [0, 1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11];
  const at = (base: number, index: number, shift: number) => [...get(base), ...get(index), OP.i32Const, shift, OP.i32Shl, OP.i32Add];
  const candidates = whileLess(J, N, [
    ...at(FOLDS, J, 2), OP.i32Load, 2, 0, ...get(FI), OP.i32Ne, OP.if, OP.void,
    ...at(OUT, J, 3), OP.f64Load, 3, 0, ...set(D),
    ...get(D), ...get(BI), OP.f64Lt, OP.if, OP.void, ...get(D), ...set(BI), ...get(J), ...set(NI), OP.end,
    ...at(BEST, J, 3), ...set(P),
    ...get(D), ...get(P), OP.f64Load, 3, 0, OP.f64Lt, OP.if, OP.void,
    ...get(P), ...get(D), OP.f64Store, 3, 0,
    ...at(NEAREST, J, 2), ...get(I), OP.i32Store, 2, 0,
    OP.end,
    OP.end,
    ...addInt(J, 1),
  ]);
  return [
    2, 4, I32, 2, F64,
    ...at(FOLDS, I, 2), OP.i32Load, 2, 0, ...set(FI),
    ...at(BEST, I, 3), OP.f64Load, 3, 0, ...set(BI),
    ...at(NEAREST, I, 2), OP.i32Load, 2, 0, ...set(NI),
    ...get(I), OP.i32Const, 1, OP.i32Add, ...set(J),
    ...candidates,
    ...at(BEST, I, 3), ...get(BI), OP.f64Store, 3, 0,
    ...at(NEAREST, I, 2), ...get(NI), OP.i32Store, 2, 0,
    OP.end,
  ];
}
