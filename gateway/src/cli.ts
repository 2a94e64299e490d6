import { constants } from 'node:fs';
import { access } from 'node:fs/promises';
import { VERSION } from '../../src/version.js';
import { OptionError, HELP, parseCommandLine } from './config.js';
import { Gateway } from './gateway.js';

const NAME = 'gym-realtime-gateway';

/** One line on stderr and the exit code: 2 for a usage mistake (as CLIs do), 1 for a failure to start. */
function fail(message: string, code: number): never {
  process.stderr.write(`${NAME}: ${message}${code === 2 ? ' (see --help)' : ''}\n`);
  process.exit(code);
}

/** Runs the gateway from the command line and the GYM_GATEWAY_* environment until SIGTERM or SIGINT. */
export async function main(args: readonly string[] = process.argv.slice(2), env: NodeJS.ProcessEnv = process.env): Promise<void> {
  let gateway: Gateway;
  try {
    const result = parseCommandLine(args, env);
    if (result.action === 'help') {
      process.stdout.write(HELP);
      return;
    }
    if (result.action === 'version') {
      process.stdout.write(`${VERSION}\n`);
      return;
    }
    for (const file of result.files) {
      await access(file, constants.R_OK).catch(() => {
        throw new OptionError(`cannot read ${file}`);
      });
    }
    gateway = new Gateway(result.options);
  } catch (error) {
    if (error instanceof OptionError) fail(error.message, 2);
    throw error;
  }
  try {
    await gateway.start();
  } catch (error) {
    gateway.log.error('gateway.start-failed', { error });
    fail(`could not listen on ${gateway.config.host}:${gateway.config.port}: ${(error as Error).message}`, 1);
  }
  const stop = (signal: string) => {
    gateway.log.info('gateway.signal', { signal });
    gateway.close().then(
      () => process.exit(0),
      () => process.exit(1),
    );
  };
  process.once('SIGTERM', () => stop('SIGTERM'));
  process.once('SIGINT', () => stop('SIGINT'));
}
