import { Chart } from 'cdk8s';
import { IConstruct } from 'constructs';

/**
 * The construct tree of an app in preorder (`node.findAll()`), with each construct's subtree as the index range
 * `[i, end[i])`. Lets one pass answer what cdk8s answers by re-walking the tree: `findAll()` of any construct,
 * `Chart.of()` and the `DependencyGraph` of any subtree.
 */
export class ConstructIndex {
  /** Every construct, in `node.findAll()` preorder; `all[0]` is the root. */
  readonly all: IConstruct[];
  private readonly index = new Map<IConstruct, number>();
  /** Exclusive end of each construct's subtree in `all`. */
  private readonly end: Int32Array;
  /** Index of the closest chart (the construct itself if it is one), or -1. */
  private readonly owner: Int32Array;
  /** Whether the construct's path would be an array-index key (see `topology`). */
  private readonly integerKey: Uint8Array;
  /** Outbound edges as indices, in `node.dependencies` order; built by `freezeDependencies`. */
  private out: Int32Array[] | undefined;

  constructor(root: IConstruct) {
    const all = (this.all = root.node.findAll());
    const n = all.length;
    const parent = new Int32Array(n);
    this.end = new Int32Array(n);
    this.owner = new Int32Array(n);
    this.integerKey = new Uint8Array(n);
    for (let i = 0; i < n; i++) this.index.set(all[i], i);
    for (let i = 0; i < n; i++) {
      const scope = all[i].node.scope;
      const p = scope === undefined ? -1 : (this.index.get(scope) ?? -1);
      parent[i] = p;
      this.end[i] = i + 1;
      this.owner[i] = all[i] instanceof Chart ? i : p < 0 ? -1 : this.owner[p];
      // Only the root's children have a path without '/'; the root's own path is ''.
      if (p >= 0 && parent[p] < 0 && isArrayIndex(all[i].node.path)) this.integerKey[i] = 1;
    }
    // Children follow their parent in preorder, so walking backwards finishes each subtree before its parent.
    for (let i = n - 1; i > 0; i--) if (parent[i] >= 0 && this.end[i] > this.end[parent[i]]) this.end[parent[i]] = this.end[i];
  }

  indexOf(c: IConstruct): number | undefined {
    return this.index.get(c);
  }

  /** Same constructs, same order as `c.node.findAll()`. */
  findAll(c: IConstruct): IConstruct[] {
    const i = this.index.get(c);
    return i === undefined ? c.node.findAll() : this.all.slice(i, this.end[i]);
  }

  /** Same as `Chart.of(c)`. */
  chartOf(c: IConstruct): Chart {
    const i = this.index.get(c);
    if (i === undefined || this.owner[i] < 0) return Chart.of(c);
    return this.all[this.owner[i]] as Chart;
  }

  /** Reads every construct's `node.dependencies` once; call after the last `addDependency`. */
  freezeDependencies(): void {
    this.out = this.all.map((c) => {
      const targets: number[] = [];
      for (const d of c.node.dependencies) {
        const t = this.index.get(d);
        if (t !== undefined) targets.push(t);
      }
      return Int32Array.from(targets);
    });
  }

  /**
   * Same result as `new DependencyGraph(c.node).topology()`, in linear time.
   *
   * cdk8s keys vertices by `node.path` in a plain object, adds an edge for each dependency (in preorder, then
   * `node.dependencies` order) whose target is in the subtree, adopts vertices without inbound edges (from within the
   * subtree) as roots in `Object.values` order, and emits a post-order DFS over outbound edges in insertion order.
   * `Object.values` lists array-index keys first, ascending, then the rest in insertion order; only children of the
   * root can have such paths. Its DFS re-visits found vertices, but in an acyclic graph everything a found vertex
   * reaches was emitted before it, so skipping it emits the same sequence. Cycles throw, as cdk8s does, with the
   * construct paths of the cycle.
   */
  topology(c: IConstruct): IConstruct[] {
    const out = this.out;
    if (!out) throw new Error('freezeDependencies() must be called first');
    const s = this.index.get(c);
    if (s === undefined) throw new Error(`${c.node.path || '<root>'} is not in this tree`);
    const e = this.end[s];
    const size = e - s;

    const inbound = new Uint8Array(size);
    for (let v = s; v < e; v++) {
      const edges = out[v];
      for (let k = 0; k < edges.length; k++) {
        const t = edges[k];
        if (t >= s && t < e) inbound[t - s] = 1;
      }
    }
    const roots: number[] = [];
    const integerRoots: number[] = [];
    for (let v = s; v < e; v++) {
      if (inbound[v - s]) continue;
      (this.integerKey[v] ? integerRoots : roots).push(v);
    }
    if (integerRoots.length > 0) {
      integerRoots.sort((a, b) => Number(this.all[a].node.path) - Number(this.all[b].node.path));
      roots.unshift(...integerRoots);
    }

    const WHITE = 0,
      GREY = 1,
      BLACK = 2;
    const state = new Uint8Array(size);
    const result: IConstruct[] = [];
    const stack: number[] = [];
    const cursor: number[] = [];
    const visit = (r: number) => {
      if (state[r - s] !== WHITE) return;
      state[r - s] = GREY;
      stack.push(r);
      cursor.push(0);
      while (stack.length > 0) {
        const top = stack.length - 1;
        const v = stack[top];
        const edges = out[v];
        let k = cursor[top];
        let next = -1;
        while (k < edges.length) {
          const t = edges[k++];
          if (t < s || t >= e) continue;
          const st = state[t - s];
          if (st === BLACK) continue;
          if (st === GREY) {
            const cycle = stack.slice(stack.lastIndexOf(t)).concat(t);
            throw new Error(`Dependency cycle detected: ${cycle.map((x) => this.all[x].node.path).join(' => ')}`);
          }
          next = t;
          break;
        }
        cursor[top] = k;
        if (next >= 0) {
          state[next - s] = GREY;
          stack.push(next);
          cursor.push(0);
        } else {
          stack.pop();
          cursor.pop();
          state[v - s] = BLACK;
          result.push(this.all[v]);
        }
      }
    };
    for (const r of roots) visit(r);
    if (result.length < size) {
      // Every vertex left has an inbound edge from another one left, so they hold a cycle; find and report it.
      for (let v = s; v < e; v++) visit(v);
      throw new Error('Dependency cycle detected');
    }
    return result;
  }
}

/** Whether `key` is a canonical array index, which `Object.values` lists first, in numeric order. */
function isArrayIndex(key: string): boolean {
  return /^(?:0|[1-9][0-9]*)$/.test(key) && Number(key) < 4294967295;
}
