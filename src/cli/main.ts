import { Command } from 'commander';
import { isHeimdallError } from '../core/errors';
import { registerLocateCommand } from './locateCommand';
import { registerModelsCommand } from './modelsCommand';
import { argsToRunHere } from './shortCommandLine';
import { registerSimulateCommand, registerSimulateTdoaCommand } from './simulateCommand';
import { registerTdoaCommand } from './tdoaCommand';

const program = new Command('heimdall')
  .description('Locate radio transmitters from IQ recordings made at several receivers')
  .showHelpAfterError();
registerSimulateCommand(program);
registerSimulateTdoaCommand(program);
registerLocateCommand(program);
registerModelsCommand(program);
registerTdoaCommand(program);

try {
  const args = await argsToRunHere();
  if (args) await program.parseAsync(args, { from: 'user' });
} catch (err) {
  const e = err as Error;
  console.error(
    isHeimdallError(e) ? `error (${e.name}): ${e.message}` : `error: ${e.stack ?? e.message}`,
  );
  process.exitCode = 2;
}
