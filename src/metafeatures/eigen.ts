/**
 * Eigendecomposition of a symmetric matrix: ml-matrix's `EigenvalueDecomposition` with
 * `assumeSymmetric` (JAMA's Householder tridiagonalisation `tred2` and implicit QL `tql2`), the
 * same operations in the same order, on one flat array instead of ml-matrix's array of rows, so
 * the same numbers. Like ml-matrix, the eigenvectors are kept transposed while they are worked on
 * (row i of the storage is eigenvector i), which is also the layout returned.
 */
import type { SimdKernels } from './simd-kernels.ts';

/** Eigenvalues (ascending, as tql2 sorts them) and eigenvectors of a symmetric matrix. */
export interface SymmetricEigen {
  /** The eigenvalues, ascending. */
  readonly values: Float64Array;
  /** n × n, row-major: row i is the eigenvector of `values[i]` (ml-matrix's column i). */
  readonly vectors: Float64Array;
}

/**
 * Decomposes a symmetric matrix as ml-matrix's `new EigenvalueDecomposition(m, { assumeSymmetric: true })` does.
 * @param matrix - the rows of an n × n matrix, n ≥ 1 (only its cells (i, j) are read, as ml-matrix reads them)
 * @returns `values` = its `realEigenvalues`, `vectors` row i = its `eigenvectorMatrix.getColumn(i)`
 */
export function symmetricEigen(matrix: readonly ArrayLike<number>[], workspace?: EigenWorkspace): SymmetricEigen {
  const n = matrix.length;
  const v = workspace ? workspace.kernel.memory.subarray(workspace.offset, workspace.offset + n * n) : new Float64Array(n * n); // v[j * n + i] holds ml-matrix's logical V(i, j)
  for (let i = 0; i < n; i++) for (let j = 0; j < n; j++) v[j * n + i] = matrix[i][j];
  const d = new Float64Array(n);
  const e = new Float64Array(n);
  tred2(n, e, d, v);
  tql2(n, e, d, v, workspace?.kernel ?? null);
  return { values: d, vectors: workspace ? v.slice() : v };
}

/**
 * Where {@link symmetricEigen} may keep the eigenvectors while it works: n² doubles of the SIMD
 * kernels' memory from `offset` (doubles), so that the QL rotations run in the `rotate` kernel.
 */
export interface EigenWorkspace {
  readonly kernel: SimdKernels;
  readonly offset: number;
}

/** ml-matrix's `hypotenuse`. */
function hypotenuse(a: number, b: number): number {
  let r = 0;
  if (Math.abs(a) > Math.abs(b)) {
    r = b / a;
    return Math.abs(a) * Math.sqrt(1 + r * r);
  }
  if (b !== 0) {
    r = a / b;
    return Math.abs(b) * Math.sqrt(1 + r * r);
  }
  return 0;
}

/** Householder reduction to tridiagonal form (ml-matrix's `tred2`; V.get(a, b) is v[a * n + b]). */
function tred2(n: number, e: Float64Array, d: Float64Array, v: Float64Array): void {
  let f: number;
  let g: number;
  let h: number;
  for (let j = 0; j < n; j++) d[j] = v[j * n + n - 1];
  for (let i = n - 1; i > 0; i--) {
    let scale = 0;
    h = 0;
    for (let k = 0; k < i; k++) scale = scale + Math.abs(d[k]);
    if (scale === 0) {
      e[i] = d[i - 1];
      for (let j = 0; j < i; j++) {
        d[j] = v[j * n + i - 1];
        v[j * n + i] = 0;
        v[i * n + j] = 0;
      }
    } else {
      for (let k = 0; k < i; k++) {
        d[k] /= scale;
        h += d[k] * d[k];
      }
      f = d[i - 1];
      g = Math.sqrt(h);
      if (f > 0) g = -g;
      e[i] = scale * g;
      h = h - f * g;
      d[i - 1] = f - g;
      for (let j = 0; j < i; j++) e[j] = 0;
      for (let j = 0; j < i; j++) {
        f = d[j];
        v[i * n + j] = f;
        g = e[j] + v[j * n + j] * f;
        const row = j * n;
        for (let k = j + 1; k <= i - 1; k++) {
          g += v[row + k] * d[k];
          e[k] += v[row + k] * f;
        }
        e[j] = g;
      }
      f = 0;
      for (let j = 0; j < i; j++) {
        e[j] /= h;
        f += e[j] * d[j];
      }
      const hh = f / (h + h);
      for (let j = 0; j < i; j++) e[j] -= hh * d[j];
      for (let j = 0; j < i; j++) {
        f = d[j];
        g = e[j];
        const row = j * n;
        for (let k = j; k <= i - 1; k++) v[row + k] = v[row + k] - (f * e[k] + g * d[k]);
        d[j] = v[row + i - 1];
        v[row + i] = 0;
      }
    }
    d[i] = h;
  }
  for (let i = 0; i < n - 1; i++) {
    v[i * n + n - 1] = v[i * n + i];
    v[i * n + i] = 1;
    h = d[i + 1];
    if (h !== 0) {
      const next = (i + 1) * n;
      for (let k = 0; k <= i; k++) d[k] = v[next + k] / h;
      for (let j = 0; j <= i; j++) {
        g = 0;
        const row = j * n;
        for (let k = 0; k <= i; k++) g += v[next + k] * v[row + k];
        for (let k = 0; k <= i; k++) v[row + k] = v[row + k] - g * d[k];
      }
    }
    for (let k = 0; k <= i; k++) v[(i + 1) * n + k] = 0;
  }
  for (let j = 0; j < n; j++) {
    d[j] = v[j * n + n - 1];
    v[j * n + n - 1] = 0;
  }
  v[(n - 1) * n + n - 1] = 1;
  e[0] = 0;
}

/** Implicit QL iterations on the tridiagonal form, then the ascending sort (ml-matrix's `tql2`). */
function tql2(n: number, e: Float64Array, d: Float64Array, v: Float64Array, kernel: SimdKernels | null): void {
  const base = v.byteOffset;
  for (let i = 1; i < n; i++) e[i - 1] = e[i];
  e[n - 1] = 0;
  let f = 0;
  let tst1 = 0;
  const eps = Number.EPSILON;
  for (let l = 0; l < n; l++) {
    tst1 = Math.max(tst1, Math.abs(d[l]) + Math.abs(e[l]));
    let m = l;
    while (m < n) {
      if (Math.abs(e[m]) <= eps * tst1) break;
      m++;
    }
    if (m > l) {
      do {
        let g = d[l];
        let p = (d[l + 1] - g) / (2 * e[l]);
        let r = hypotenuse(p, 1);
        if (p < 0) r = -r;
        d[l] = e[l] / (p + r);
        d[l + 1] = e[l] * (p + r);
        const dl1 = d[l + 1];
        let h = g - d[l];
        for (let i = l + 2; i < n; i++) d[i] -= h;
        f = f + h;
        p = d[m];
        let c = 1;
        let c2 = c;
        let c3 = c;
        const el1 = e[l + 1];
        let s = 0;
        let s2 = 0;
        for (let i = m - 1; i >= l; i--) {
          c3 = c2;
          c2 = c;
          s2 = s;
          g = c * e[i];
          h = c * p;
          r = hypotenuse(p, e[i]);
          e[i + 1] = s * r;
          s = e[i] / r;
          c = p / r;
          p = c * d[i] - s * g;
          d[i + 1] = h + s * (c * g + s * d[i]);
          const upper = (i + 1) * n;
          const lower = i * n;
          if (kernel !== null) {
            kernel.rotate(base + 8 * upper, base + 8 * lower, n, c, s); // the loop below, two entries a step
            continue;
          }
          for (let k = 0; k < n; k++) {
            h = v[upper + k];
            v[upper + k] = s * v[lower + k] + c * h;
            v[lower + k] = c * v[lower + k] - s * h;
          }
        }
        p = (-s * s2 * c3 * el1 * e[l]) / dl1;
        e[l] = s * p;
        d[l] = c * p;
      } while (Math.abs(e[l]) > eps * tst1);
    }
    d[l] = d[l] + f;
    e[l] = 0;
  }
  for (let i = 0; i < n - 1; i++) {
    let k = i;
    let p = d[i];
    for (let j = i + 1; j < n; j++) {
      if (d[j] < p) {
        k = j;
        p = d[j];
      }
    }
    if (k !== i) {
      d[k] = d[i];
      d[i] = p;
      for (let j = 0; j < n; j++) {
        p = v[i * n + j];
        v[i * n + j] = v[k * n + j];
        v[k * n + j] = p;
      }
    }
  }
}
