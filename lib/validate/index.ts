export { SchemaRegistry } from './schema-registry';
export type { SchemaRegistryOptions } from './schema-registry';
export { validateFiles } from './validate-files';
export { describeCelRuleCounts } from './cel/cel-validation';
export type { CelRuleCounts } from './cel/cel-validation';
export { talosValidator } from './talos-validator';
export type { TalosDocumentValidator } from './talos-validator';
export { schemaSourcesFromEnv } from './schema-sources-env';
export type { FileValidationIssue, FilesValidationReport, ResourceScope, ValidationIssue } from './types';
export {
  NetworkReachability,
  POLICY_ENGINES,
  type Connection,
  type ContainerPort,
  type Endpoint,
  type PolicyEngine,
  type Protocol,
  type ReachabilityOptions,
  type SideVerdict,
  type Verdict,
} from './network-reachability';
