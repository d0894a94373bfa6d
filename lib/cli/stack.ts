import type { App } from 'cdk8s';
import type { SchemaRegistry } from '../validate/schema-registry';
import type { ValidationIssue } from '../validate/types';
import type { Platform } from '../core/platform';

/** A named platform program that the `kubestrata` command can synthesize. */
export interface StackDefinition {
  /** One line for summaries. */
  readonly description: string;
  /** Builds the platform under `app`. */
  build(app: App): Platform;
  /**
   * Writes what is not a Kubernetes manifest (node configuration) below `outdir` after synthesis, and checks it
   * against the schemas of `schemas` when given. Returns the files written and the problems found.
   */
  writeFiles?(
    platform: Platform,
    outdir: string,
    schemas?: SchemaRegistry,
  ): { readonly files: readonly string[]; readonly issues: readonly ValidationIssue[] };
}

/** The module contract of `kubestrata synth --app <module>`: it exports `stacks`. */
export interface StackModule {
  readonly stacks: Readonly<Record<string, StackDefinition>>;
}
