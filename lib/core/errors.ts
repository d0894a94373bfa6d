import { IConstruct } from 'constructs';

/** One invalid input: which property, what was given, which rule it broke and, where obvious, the fix. */
export interface Problem {
  readonly property: string;
  readonly value: unknown;
  readonly rule: string;
  readonly fix?: string;
}

/** The one error kubestrata throws for invalid input. It carries every problem of one construct. */
export class ConfigurationError extends Error {
  constructor(
    readonly path: string,
    readonly problems: readonly Problem[],
  ) {
    super(formatProblems(path, problems));
    this.name = 'ConfigurationError';
  }
}

/** The error of a construct created outside the construct it needs above it, such as a Platform or a Tenant. */
export function notInside(scope: IConstruct, container: string, fix: string): ConfigurationError {
  return new ConfigurationError(scope.node.path, [
    { property: 'scope', value: scope.node.path, rule: `is not inside a ${container}`, fix },
  ]);
}

function formatProblems(path: string, problems: readonly Problem[]): string {
  const lines = problems.map((p) => {
    const fix = p.fix ? ` Fix: ${p.fix.replace(/\.?$/, '.')}` : '';
    return `  - ${p.property}: ${show(p.value)} ${p.rule}.${fix}`;
  });
  const count = problems.length === 1 ? '1 problem' : `${problems.length} problems`;
  return `[${path}] ${count}:\n${lines.join('\n')}`;
}

export function show(value: unknown): string {
  if (value === undefined) return '(not set)';
  if (typeof value === 'string') return JSON.stringify(value);
  try {
    return JSON.stringify(value) ?? String(value);
  } catch {
    try {
      return String(value);
    } catch {
      return Object.prototype.toString.call(value);
    }
  }
}

/** Collects the problems of one construct so that they are reported together. */
export class Problems {
  private readonly list: Problem[] = [];

  constructor(private readonly path: string) {}

  static of(scope: IConstruct, id?: string): Problems {
    const base = scope.node.path;
    return new Problems(id ? `${base}/${id}` : base);
  }

  add(property: string, value: unknown, rule: string, fix?: string): this {
    this.list.push({ property, value, rule, fix });
    return this;
  }

  /** Adds a problem when `ok` is false; returns `ok`. */
  check(ok: boolean, property: string, value: unknown, rule: string, fix?: string): boolean {
    if (!ok) this.add(property, value, rule, fix);
    return ok;
  }

  get empty(): boolean {
    return this.list.length === 0;
  }

  throwIfAny(): void {
    if (this.list.length > 0) throw new ConfigurationError(this.path, this.list);
  }
}
