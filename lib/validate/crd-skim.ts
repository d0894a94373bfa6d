import * as fs from 'node:fs';

/** Reading this much of a document usually reaches spec.group and spec.names.kind. */
const HEAD_BYTES = 16 * 1024;

/**
 * Reads spec.group and spec.names.kind of every document of a CRD file from its block-style YAML text without
 * parsing it (CRD files run to megabytes, so only the start of each document is decoded). Anything unusual
 * (flow style, a List, not a CRD) leaves them undefined, and the file is then parsed on every lookup until it
 * has been read once.
 */
export function skimGroupsAndKinds(file: string): Array<{ group?: string; kind?: string }> {
  const content = fs.readFileSync(file);
  const skimmed = documentRanges(content).flatMap(([start, end]) => {
    const head = content.toString('utf8', start, Math.min(end, start + HEAD_BYTES));
    if (head.replace(/^\s*#.*$/gm, '').trim() === '') {
      return [];
    }
    const found = skim(head);
    return found.group !== undefined && found.kind !== undefined ? [found] : [skim(content.toString('utf8', start, end))];
  });
  return skimmed.length === 0 ? [{}] : skimmed;
}

/** Byte ranges of the YAML documents in a file: separated by lines that start with `---`. */
function documentRanges(content: Buffer): Array<[number, number]> {
  const ranges: Array<[number, number]> = [];
  let start = 0;
  for (let at = content.indexOf('\n---'); at >= 0; at = content.indexOf('\n---', at + 1)) {
    const lineEnd = content.indexOf('\n', at + 1);
    const rest = content.toString('utf8', at + 4, lineEnd < 0 ? content.length : lineEnd);
    if (/^\s*(#.*)?$/.test(rest)) {
      ranges.push([start, at + 1]);
      start = lineEnd < 0 ? content.length : lineEnd + 1;
    }
  }
  ranges.push([start, content.length]);
  return ranges;
}

function skim(text: string): { group?: string; kind?: string } {
  if (!/^kind:\s*CustomResourceDefinition\s*$/m.test(text)) {
    return {};
  }
  const specStart = /^spec:[ \t]*\r?$/m.exec(text);
  if (specStart === null) {
    return {};
  }
  let group: string | undefined;
  let kind: string | undefined;
  let specIndent: number | undefined;
  let inNames = false;
  let namesIndent: number | undefined;
  for (const line of text.slice(specStart.index + specStart[0].length).split('\n')) {
    if (/^\s*(#.*)?$/.test(line)) {
      continue;
    }
    const indent = line.length - line.trimStart().length;
    if (indent === 0) {
      break;
    }
    specIndent = specIndent ?? indent;
    if (indent === specIndent) {
      inNames = /^\s*names:\s*$/.test(line);
      namesIndent = undefined;
      group = group ?? scalarValue(line, 'group');
    } else if (inNames && indent > specIndent) {
      namesIndent = namesIndent ?? indent;
      if (indent === namesIndent) {
        kind = kind ?? scalarValue(line, 'kind');
      }
    }
    if (group !== undefined && kind !== undefined) {
      break;
    }
  }
  return { group, kind };
}

function scalarValue(line: string, key: string): string | undefined {
  const match = new RegExp(`^\\s*${key}:\\s*["']?([A-Za-z0-9.-]+)["']?\\s*(#.*)?$`).exec(line);
  return match?.[1];
}
