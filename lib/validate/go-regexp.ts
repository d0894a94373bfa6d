import type { RegExpEngine } from 'ajv/dist/types';

/** Matches every string: for a pattern that no translation makes valid in JavaScript. */
const ANY_STRING = /[\s\S]*/;

/**
 * Compiles a `pattern` from a Kubernetes schema. Patterns there are Go (RE2) regular expressions, which
 * JavaScript mostly shares; the differences seen in CRDs are inline flags (`(?i)` in Calico and
 * prometheus-operator CRDs), named groups written `(?P<name>…)` and `\A`/`\z` anchors. Those are translated;
 * a pattern that still does not compile accepts every string instead of making its whole kind unusable.
 */
function compileGoPattern(pattern: string, unicode: string): RegExp {
  const translated = translateGoPattern(pattern);
  const attempts: Array<[string, string]> = [
    [pattern, unicode],
    [translated.source, unicode + translated.flags],
    [translated.source, translated.flags],
  ];
  for (const [source, flags] of attempts) {
    try {
      return new RegExp(source, flags);
    } catch {
      // try the next form
    }
  }
  return ANY_STRING;
}

/** Ajv's `code.regExp` engine for Kubernetes schemas. */
export const goCompatibleRegExp: RegExpEngine = Object.assign(compileGoPattern, { code: 'goCompatibleRegExp' });

/**
 * RE2 inline flag groups become flags of the whole expression (`(?i)` anywhere makes the match case-insensitive,
 * slightly more lenient than Go when the flag only covers part of the pattern).
 */
export function translateGoPattern(pattern: string): { readonly source: string; readonly flags: string } {
  const flags = new Set<string>();
  const note = (letters: string): void => {
    for (const letter of letters) {
      if (letter === 'i' || letter === 's' || letter === 'm') {
        flags.add(letter);
      }
    }
  };
  const source = pattern
    .replace(/\(\?([imsU]+)\)/g, (_match, letters: string) => (note(letters), ''))
    .replace(/\(\?([imsU]+):/g, (_match, letters: string) => (note(letters), '(?:'))
    .replace(/\(\?P</g, '(?<')
    .replace(/\\A/g, '^')
    .replace(/\\z/g, '$');
  return { source, flags: [...flags].sort().join('') };
}
