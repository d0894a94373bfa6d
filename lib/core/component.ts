import { Construct, IConstruct } from 'constructs';
import { Problems } from './errors';
import type { Layer, Platform } from './platform';

/**
 * A class of cluster-wide singleton: an operator, a CNI, a CSI driver. The registry keys instances by
 * class, so a requirement is typed and cannot be misspelt.
 */
export interface ComponentClass<T extends Component = Component> {
  new (platform: Platform): T;
  /** Components that cannot run in the same cluster. */
  conflicts?(): readonly ComponentClass[];
}

/** A singleton part of the platform that lives in one of its layer charts. */
export abstract class Component extends Construct {
  readonly platform: Platform;

  protected constructor(platform: Platform, layer: Layer, id: string) {
    super(platform.registry.admit(new.target as unknown as ComponentClass, platform.layer(layer), id), id);
    this.platform = platform;
    platform.registry.register(this);
  }

  /** Returns the platform's instance of `type`, adding it with its defaults if absent. */
  protected requires<T extends Component>(type: ComponentClass<T>): T {
    return this.platform.registry.require(this, type);
  }
}

/**
 * The requires graph of one platform. Every edge becomes a cdk8s dependency here, a Flux `dependsOn`
 * between releases and a Pulumi `dependsOn`.
 */
export class ComponentRegistry {
  private readonly instances = new Map<ComponentClass, Component>();
  private readonly edges = new Map<IConstruct, Set<Component>>();

  constructor(private readonly platform: Platform) {}

  /** Checks that one more `type` may join the platform, before its construct is added under `scope`. */
  admit<S extends IConstruct>(type: ComponentClass, scope: S, id: string): S {
    const problems = Problems.of(scope, id);
    const existing = this.instances.get(type);
    if (existing) {
      const requirers = this.requirersOf(existing).map((c) => c.node.path);
      problems.add(
        'component',
        type.name,
        `already exists at ${existing.node.path}${requirers.length ? ` (added by requires() from ${requirers.join(', ')})` : ''}; a platform has one ${type.name}`,
        `create ${type.name} once, before anything that requires it, to customize it`,
      );
    }
    for (const other of this.conflictsOf(type)) {
      const instance = this.instances.get(other);
      if (instance)
        problems.add(
          'component',
          type.name,
          `conflicts with ${other.name} at ${instance.node.path}`,
          `choose one of ${type.name} and ${other.name}`,
        );
    }
    problems.throwIfAny();
    return scope;
  }

  register(component: Component): void {
    this.instances.set(component.constructor as ComponentClass, component);
  }

  /** Records that `from` requires `type` and returns the instance, creating it if needed. */
  require<T extends Component>(from: IConstruct, type: ComponentClass<T>): T {
    const instance = (this.instances.get(type) as T | undefined) ?? new type(this.platform);
    if (instance === from) return instance;
    const cycle = this.route(instance, from);
    if (cycle) {
      Problems.of(from)
        .add(
          'requires',
          type.name,
          `would create a cycle: ${[from, ...cycle].map((c) => c.node.path).join(' -> ')}`,
          'remove one of the requirements',
        )
        .throwIfAny();
    }
    let targets = this.edges.get(from);
    if (!targets) this.edges.set(from, (targets = new Set()));
    if (!targets.has(instance)) {
      targets.add(instance);
      from.node.addDependency(instance);
    }
    return instance;
  }

  find<T extends Component>(type: ComponentClass<T>): T | undefined {
    return this.instances.get(type) as T | undefined;
  }

  /** The components `from` requires directly. */
  requirementsOf(from: IConstruct): Component[] {
    return [...(this.edges.get(from) ?? [])];
  }

  /** Every component, in the order they were added. */
  all(): Component[] {
    return [...this.instances.values()];
  }

  private requirersOf(component: Component): IConstruct[] {
    return [...this.edges].filter(([, targets]) => targets.has(component)).map(([from]) => from);
  }

  private conflictsOf(type: ComponentClass): ComponentClass[] {
    const declared = type.conflicts?.() ?? [];
    const reverse = [...this.instances.keys()].filter((other) => other.conflicts?.().includes(type));
    return [...new Set([...declared, ...reverse])];
  }

  /** A path of requirements from `start` to `goal`, if one exists. */
  private route(start: IConstruct, goal: IConstruct, seen = new Set<IConstruct>()): IConstruct[] | undefined {
    if (start === goal) return [goal];
    if (seen.has(start)) return undefined;
    seen.add(start);
    for (const next of this.edges.get(start) ?? []) {
      const rest = this.route(next, goal, seen);
      if (rest) return [start, ...rest];
    }
    return undefined;
  }
}
