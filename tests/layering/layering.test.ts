/**
 * The layering rules bite: dependency-cruiser, with the project's own .dependency-cruiser.cjs,
 * flags each deliberately wrong import of a fixture tree (tests/fixtures/layering, laid out like
 * the project), and tsconfig.core.json refuses DOM and Node globals in core.
 */
import { execFile } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import { promisify } from 'node:util';
import ts from 'typescript';
import { describe, expect, it } from 'vitest';

const root = fileURLToPath(new URL('../../', import.meta.url));
const fixture = fileURLToPath(new URL('../fixtures/layering/', import.meta.url));

/**
 * Runs the depcruise command line in the fixture folder with the project's rules, as CI runs it
 * on the project, and reads its report: one line per violation, `error RULE: FROM → TO`.
 */
async function cruiseFixture(): Promise<{
  violations: string[][];
  exitCode: number;
  report: string;
}> {
  const bin = `${root}node_modules/dependency-cruiser/bin/dependency-cruise.mjs`;
  const args = [bin, 'src', 'workers', 'server', '--config', `${root}.dependency-cruiser.cjs`];
  const { stdout, exitCode } = await promisify(execFile)(process.execPath, args, {
    cwd: fixture,
  }).then(
    (ok) => ({ stdout: ok.stdout, exitCode: 0 }),
    (err: { stdout: string; code: number }) => ({ stdout: err.stdout, exitCode: err.code }),
  );
  const violations = [...stdout.matchAll(/^\s*error (\S+): (\S+) →/gm)].map((m) => [m[1], m[2]]);
  return { violations, exitCode, report: stdout };
}

describe('import layering (dependency-cruiser)', () => {
  it('fails on every deliberately wrong import, naming the rule, and passes the allowed one', async () => {
    const { violations, exitCode, report } = await cruiseFixture();
    expect(violations.sort()).toEqual(
      [
        ['core-imports-core-only', 'src/core/importsState.ts'],
        ['core-imports-core-only', 'src/core/importsWorker.ts'],
        ['core-no-node-modules', 'src/core/importsNodeFs.ts'],
        ['core-libraries', 'src/core/importsDomLibrary.ts'],
        ['worker-imports-core-only', 'workers/importsUi.ts'],
        ['ui-layer-ui', 'src/ui/importsState.ts'],
        ['ui-layer-state', 'src/state/importsLive.ts'],
        ['node-not-ui', 'server/importsUi.ts'],
        ['no-circular', 'src/map/a.ts'],
      ].sort(),
    );
    expect(report).not.toMatch(/allowedLibrary/);
    // The exit status is the number of errors: what fails `npm run lint:layers` and CI.
    expect(exitCode).toBe(9);
  }, 60_000);
});

/** Type-checks one fixture file with the compiler options of one of the project's trees. */
function typeErrors(tsconfig: string, file: string): string[] {
  const configPath = `${root}${tsconfig}`;
  const parsed = ts.getParsedCommandLineOfConfigFile(
    configPath,
    {},
    {
      ...ts.sys,
      onUnRecoverableConfigFileDiagnostic: (d) => {
        throw new Error(ts.flattenDiagnosticMessageText(d.messageText, '\n'));
      },
    },
  );
  if (!parsed) throw new Error(`cannot read ${tsconfig}`);
  const options = { ...parsed.options, noEmit: true, composite: false, emitDeclarationOnly: false };
  const program = ts.createProgram([`${fixture}${file}`], options);
  return ts
    .getPreEmitDiagnostics(program)
    .map((d) => ts.flattenDiagnosticMessageText(d.messageText, '\n'));
}

describe('globals per tree (tsconfig.<tree>.json)', () => {
  const file = 'src/core/usesPlatformGlobals.ts';

  it('core has neither DOM nor Node globals', () => {
    const errors = typeErrors('tsconfig.core.json', file);
    expect(errors).toContainEqual(expect.stringMatching(/Cannot find name 'document'/));
    expect(errors).toContainEqual(expect.stringMatching(/Cannot find name 'process'/));
  }, 60_000);

  it('the UI has the DOM but not Node; the Node tree has Node but not the DOM', () => {
    const ui = typeErrors('tsconfig.ui.json', file);
    expect(ui.some((e) => /'document'/.test(e))).toBe(false);
    expect(ui).toContainEqual(expect.stringMatching(/Cannot find name 'process'/));
    const node = typeErrors('tsconfig.node.json', file);
    expect(node.some((e) => /'process'/.test(e))).toBe(false);
    expect(node).toContainEqual(expect.stringMatching(/Cannot find name 'document'/));
  }, 60_000);
});
