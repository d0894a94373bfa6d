import * as fs from 'fs';
import * as path from 'path';
import * as ts from 'typescript';
import {
  BaseType,
  Context,
  createFormatter,
  createParser,
  DEFAULT_CONFIG,
  Definition,
  SchemaGenerator,
  SubNodeParser,
  SubTypeFormatter,
} from 'ts-json-schema-generator';

/** The committed output, read by lib/core/props-check.ts. */
export const PROPS_SCHEMAS_FILE = path.resolve(__dirname, '../lib/core/props-schemas.json');
const ROOT = path.resolve(__dirname, '..');
const ENTRY_POINTS = ['index.ts', 'lib/pulumi/index.ts', 'lib/pulumi/provision/index.ts'];
/** Pulumi component arguments that are plain data; the others hold Outputs and resources, which only Pulumi can check. */
const PLAIN_PULUMI_ARGS = ['AwsNetworkArgs', 'BackupBucketArgs', 'ReadinessGateArgs'];

/** A value that only an instance of a class (or a function) can be; checked by the `instanceOf` keyword. */
class InstanceType extends BaseType {
  constructor(readonly className: string) {
    super();
  }

  getId(): string {
    return `instance-${this.className}`;
  }
}

/** Classes are not JSON: a prop typed with one holds an instance, never its fields. */
class ClassParser implements SubNodeParser {
  supportsNode(node: ts.Node): boolean {
    return ts.isClassDeclaration(node) && node.name !== undefined;
  }

  createType(node: ts.ClassDeclaration, _context: Context): BaseType {
    return new InstanceType(node.name!.text);
  }
}

/** Callbacks are checked to be functions; their signatures are the compiler's business. */
class FunctionParser implements SubNodeParser {
  supportsNode(node: ts.Node): boolean {
    return (
      ts.isFunctionTypeNode(node) ||
      ts.isConstructorTypeNode(node) ||
      ts.isFunctionDeclaration(node) ||
      ts.isArrowFunction(node) ||
      ts.isFunctionExpression(node)
    );
  }

  createType(): BaseType {
    return new InstanceType('Function');
  }
}

class InstanceFormatter implements SubTypeFormatter {
  supportsType(type: BaseType): boolean {
    return type instanceof InstanceType;
  }

  getDefinition(type: BaseType): Definition {
    return { instanceOf: (type as InstanceType).className } as Definition;
  }

  getChildren(): BaseType[] {
    return [];
  }
}

/** Every exported `…Props` interface of the public entry points and the plain Pulumi arguments, sorted; generic bases are covered by their subtypes. */
export function propsTypeNames(program: ts.Program): string[] {
  const checker = program.getTypeChecker();
  const names = new Set<string>();
  for (const entry of ENTRY_POINTS) {
    const source = program.getSourceFile(path.join(ROOT, entry));
    const module = source && checker.getSymbolAtLocation(source);
    if (!module) throw new Error(`cannot read the exports of ${entry}`);
    for (const symbol of checker.getExportsOfModule(module)) {
      const declaration = (symbol.flags & ts.SymbolFlags.Alias ? checker.getAliasedSymbol(symbol) : symbol).declarations?.[0];
      const generic = declaration && ts.isInterfaceDeclaration(declaration) && declaration.typeParameters !== undefined;
      if ((/Props$/.test(symbol.name) || PLAIN_PULUMI_ARGS.includes(symbol.name)) && !generic) names.add(symbol.name);
    }
  }
  return [...names].sort();
}

/** The JSON Schema of every props type, with shared definitions and no descriptions. */
export function generatePropsSchemas(): { types: string[]; definitions: Record<string, unknown> } {
  const config = {
    ...DEFAULT_CONFIG,
    path: path.join(ROOT, 'index.ts'),
    tsconfig: path.join(ROOT, 'tsconfig.json'),
    expose: 'export' as const,
    topRef: true,
    jsDoc: 'extended' as const,
    skipTypeCheck: true,
    sortProps: true,
    encodeRefs: false,
    functions: 'comment' as const,
    // Why a required prop is required and how to give it, for the message when it is missing.
    extraTags: ['requiredBecause', 'requiredFix'],
  };
  const program = ts.createProgram(
    ENTRY_POINTS.map((e) => path.join(ROOT, e)),
    {
      ...ts.parseJsonConfigFileContent(ts.readConfigFile(config.tsconfig, ts.sys.readFile).config, ts.sys, ROOT).options,
      noEmit: true,
    },
  );
  const types = propsTypeNames(program);
  const parser = createParser(program, { ...config, type: types }, (chain) =>
    chain.addNodeParser(new ClassParser()).addNodeParser(new FunctionParser()),
  );
  const formatter = createFormatter(config, (chain) => chain.addTypeFormatter(new InstanceFormatter()));
  const generator = new SchemaGenerator(program, parser, formatter, { ...config, type: types });
  const schema = generator.createSchema(types) as { definitions?: Record<string, unknown> };
  return { types, definitions: mergeExclusiveAlternatives(stripDocumentation(schema.definitions ?? {})) as Record<string, unknown> };
}

type Schema = Record<string, unknown>;

/**
 * `{ a: A; b?: never } | { b: B; a?: never }` (exactly one of a and b) becomes one object with both properties
 * optional: the construct checks that exactly one is given and names the ones combined, which a schema union could
 * only report as an unknown property of whichever alternative came closest. A union qualifies when every alternative
 * is a closed object requiring one property of its own and each property has the same schema wherever it appears.
 */
function mergeExclusiveAlternatives(value: unknown): unknown {
  if (Array.isArray(value)) return value.map(mergeExclusiveAlternatives);
  if (value === null || typeof value !== 'object') return value;
  const node = mapValues(value, mergeExclusiveAlternatives);
  const alternatives = node.anyOf as Schema[] | undefined;
  return alternatives && Object.keys(node).length === 1 ? (mergedObject(alternatives) ?? node) : node;
}

function mergedObject(alternatives: readonly Schema[]): Schema | undefined {
  if (alternatives.length < 2 || !alternatives.every((a) => a.type === 'object' && a.additionalProperties === false && a.properties))
    return undefined;
  const properties: Schema = {};
  for (const alternative of alternatives) {
    for (const [key, schema] of Object.entries(alternative.properties as Schema)) {
      if (key in properties && JSON.stringify(properties[key]) !== JSON.stringify(schema)) return undefined;
      properties[key] = schema;
    }
  }
  const own = (a: Schema) => (a.required as string[] | undefined) ?? [];
  const counts = new Map<string, number>();
  for (const alternative of alternatives)
    for (const key of Object.keys(alternative.properties as Schema)) counts.set(key, (counts.get(key) ?? 0) + 1);
  if (!alternatives.every((a) => own(a).length === 1 && counts.get(own(a)[0]) === 1)) return undefined;
  return {
    type: 'object',
    properties: Object.fromEntries(
      Object.keys(properties)
        .sort()
        .map((k) => [k, properties[k]]),
    ),
    additionalProperties: false,
  };
}

/** Descriptions and defaults only explain; the checker needs the rules. */
function stripDocumentation(value: unknown): unknown {
  if (Array.isArray(value)) return value.map(stripDocumentation);
  if (value === null || typeof value !== 'object') return value;
  const kept: Record<string, unknown> = {};
  for (const [key, child] of Object.entries(value)) {
    if (['description', 'default', 'markdownDescription', '$comment', 'examples'].includes(key)) continue;
    kept[key] = key === 'properties' || key === 'definitions' ? mapValues(child as object, stripDocumentation) : stripDocumentation(child);
  }
  return kept;
}

function mapValues(object: object, f: (v: unknown) => unknown): Schema {
  return Object.fromEntries(Object.entries(object).map(([k, v]) => [k, f(v)]));
}

export function formatPropsSchemas(schemas: ReturnType<typeof generatePropsSchemas>): string {
  return `${JSON.stringify(schemas)}\n`;
}

if (require.main === module) {
  const started = Date.now();
  const text = formatPropsSchemas(generatePropsSchemas());
  fs.writeFileSync(PROPS_SCHEMAS_FILE, text);
  console.log(`${path.relative(ROOT, PROPS_SCHEMAS_FILE)}: ${text.length} bytes in ${Date.now() - started} ms`);
}
