import type { Options } from 'ajv';
import { KUBERNETES_FORMATS } from './formats';
import { goCompatibleRegExp } from './go-regexp';

/**
 * Ajv settings shared by every validator here: Kubernetes schemas use OpenAPI extensions Ajv does not know
 * (strict: false ignores them), every error is wanted (allErrors), and verbose errors carry the failing schema
 * and value for readable messages. Defaults are never written into the validated objects, and `pattern`s are
 * read as the Go regular expressions they are.
 */
export const AJV_OPTIONS: Options = {
  strict: false,
  allErrors: true,
  verbose: true,
  logger: false,
  useDefaults: false,
  formats: KUBERNETES_FORMATS,
  // Skipping Ajv's pass over the generated code compiles the large CRD schemas about a third faster.
  code: { regExp: goCompatibleRegExp, optimize: false },
};
