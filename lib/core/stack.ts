import { App } from 'cdk8s';
import { Platform } from './platform';

/** A named platform program that the `kubestrata` command can synthesize. */
export interface StackDefinition {
  /** One line for summaries. */
  readonly description: string;
  /** Builds the platform under `app`. */
  build(app: App): Platform;
}

/** The module contract of `kubestrata synth --app <module>`: it exports `stacks`. */
export interface StackModule {
  readonly stacks: Readonly<Record<string, StackDefinition>>;
}
