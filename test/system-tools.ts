import * as fs from 'fs';
import * as path from 'path';

/** System tools some tests run; `ci` marks those .ci/run installs, so that a CI run without them fails instead of skipping. */
const TOOLS: Record<string, { install: string; ci: boolean }> = {
  shellcheck: { install: 'apt-get install -y shellcheck', ci: true },
  'cloud-init': { install: 'apt-get install -y cloud-init', ci: true },
  haproxy: { install: 'apt-get install -y haproxy', ci: false },
  nginx: { install: 'apt-get install -y nginx', ci: false },
};

const noted = new Set<string>();

/** The tool's executable on PATH (or in the sbin folders, where daemons live), if installed. */
export function findTool(tool: string): string | undefined {
  const dirs = [...(process.env.PATH ?? '').split(path.delimiter), '/usr/sbin', '/usr/local/sbin'].filter((d) => d.length > 0);
  return dirs.map((d) => path.join(d, tool)).find((p) => fs.existsSync(p));
}

function missing(tool: string): string {
  return `${tool} is not installed (${TOOLS[tool]?.install ?? `install ${tool}`})`;
}

/**
 * Whether the tool is installed. When it is not: under CI (for the tools CI installs) this throws; otherwise it prints
 * one line per tool saying how to install it and returns false, so the caller skips its check.
 */
export function requireTool(tool: string): boolean {
  if (findTool(tool)) return true;
  if (process.env.CI && TOOLS[tool]?.ci !== false) throw new Error(`${missing(tool)}: CI must run this check`);
  if (!noted.has(tool)) {
    noted.add(tool);
    process.stderr.write(`skipped: ${missing(tool)}\n`);
  }
  return false;
}

type TestFn = (name: string, fn: jest.ProvidesCallback, timeout?: number) => void;

/** `test` when the tools are installed; otherwise a skipped test (one printed line per tool), or under CI a failing one. */
export function testWith(...tools: string[]): TestFn {
  try {
    return tools.map(requireTool).every(Boolean) ? test : test.skip;
  } catch (e) {
    return (name) =>
      test(name, () => {
        throw e;
      });
  }
}
