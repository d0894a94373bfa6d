import type { ASTNode, Environment, ParseResult } from '@marcbachmann/cel-js';
import { celLibrary } from './cel-runtime';
import { registerNetworkLibrary } from './network-library';
import { registerQuantityLibrary } from './quantity-library';

/** A rule expression as the API server would compile it, or why it cannot be evaluated here. */
export type CompiledExpression =
  | { readonly program: ParseResult; readonly readsOldSelf: boolean }
  | {
      /** The functions the expression calls that this environment lacks, or the compiler's complaint. */
      readonly unsupported: readonly string[];
    };

const environments = new Map<boolean, Environment>();
let knownFunctions: ReadonlySet<string> | undefined;
const compiled = new Map<string, CompiledExpression>();

/**
 * The CEL environment of CRD validation rules: `self`, `oldSelf` (an optional value for rules with
 * `optionalOldSelf`), optional values, the standard functions and macros, and the Kubernetes libraries the shipped
 * CRDs call (quantity, IP, CIDR).
 */
function kubernetesEnvironment(optionalOldSelf: boolean): Environment {
  if (environments.size === 0) {
    const base = new (celLibrary().Environment)({
      unlistedVariablesAreDyn: false,
      homogeneousAggregateLiterals: false,
      enableOptionalTypes: true,
    });
    base.registerVariable('self', 'dyn');
    registerQuantityLibrary(base);
    registerNetworkLibrary(base);
    knownFunctions = new Set(base.getDefinitions().functions.map((f) => f.name));
    environments.set(false, base.clone().registerVariable('oldSelf', 'dyn'));
    environments.set(true, base.clone().registerVariable('oldSelf', 'optional<dyn>'));
  }
  return environments.get(optionalOldSelf)!;
}

/** Parses and type-checks an expression once; the same text is compiled once per process. */
export function compileExpression(expression: string, optionalOldSelf = false): CompiledExpression {
  const key = `${optionalOldSelf}\u0000${expression}`;
  let result = compiled.get(key);
  if (result === undefined) {
    result = compile(expression, optionalOldSelf);
    compiled.set(key, result);
  }
  return result;
}

function compile(expression: string, optionalOldSelf: boolean): CompiledExpression {
  const env = kubernetesEnvironment(optionalOldSelf);
  let program: ParseResult;
  try {
    program = env.parse(expression);
  } catch (error) {
    return { unsupported: [`syntax: ${summaryOf(error)}`] };
  }
  widenHasMacros(program.ast);
  const check = program.check();
  if (!check.valid) {
    const missing = [...new Set(calledFunctions(program.ast).filter((name) => !knownFunctions!.has(name)))];
    return { unsupported: missing.length > 0 ? missing.map((name) => `${name}()`) : [summaryOf(check.error)] };
  }
  return { program, readsOldSelf: readsVariable(program.ast, 'oldSelf') };
}

interface HasMacro {
  readonly args: readonly ASTNode[];
  typeCheck(checker: any, macro: HasMacro & { macroHasProps?: ASTNode[] }, context: unknown): unknown;
}

/**
 * CEL allows `has()` on a field of any operand (`has(self[0].matches)`, in Gateway API rules); the library only on
 * fields of a variable. Its macro evaluates any operand once told the chain of fields, which this does.
 */
function widenHasMacros(node: unknown): void {
  const ast = node as ASTNode & { readonly meta?: { readonly macro?: HasMacro } };
  const macro = ast.op === 'call' && ast.args[0] === 'has' ? ast.meta?.macro : undefined;
  if (macro !== undefined && macro.args.length === 1) {
    const fields: ASTNode[] = [];
    let operand = macro.args[0];
    while (operand.op === '.' || operand.op === '.?') {
      fields.push(operand);
      operand = operand.args[0];
    }
    if (fields.length > 0 && operand.op !== 'id') {
      macro.typeCheck = (checker, self, context) => {
        checker.check(operand, context);
        self.macroHasProps = [...fields, operand];
        return checker.getType('bool');
      };
    }
  }
  children(node).forEach(widenHasMacros);
}

function summaryOf(error: unknown): string {
  return (error as { summary?: string }).summary ?? String((error as Error).message).split('\n')[0];
}

function calledFunctions(node: unknown): string[] {
  return children(node)
    .flatMap((child) => calledFunctions(child))
    .concat(functionName(node));
}

function functionName(node: unknown): string[] {
  const ast = node as ASTNode;
  return ast.op === 'call' || ast.op === 'rcall' ? [ast.args[0]] : [];
}

function readsVariable(node: unknown, name: string): boolean {
  const { op, args } = node as ASTNode;
  return (op === 'id' && args === name) || children(node).some((child) => readsVariable(child, name));
}

function children(node: unknown): unknown[] {
  const { op, args } = node as ASTNode;
  if (op === 'value' || op === 'id') return [];
  const operands: unknown[] = Array.isArray(args) ? args.flatMap((arg: unknown) => (Array.isArray(arg) ? arg : [arg])) : [args];
  return operands.filter((operand) => typeof operand === 'object' && operand !== null);
}
