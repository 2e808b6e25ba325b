/**
 * The layers of studybot, and the one direction imports may run (README: "How it fits together").
 * `npm run lint` checks them, and so does tests/architecture/dependencies.test.ts.
 *
 * Patterns start with (^|/) so the same rules apply to the rule tests' fixture tree.
 */
const at = (p) => `(^|/)${p}`;
/** Text utilities (fences, Markdown splitting) everyone may use, the kernel included. */
const TEXT = [at('src/text/')];
const BOTTOM = [at('src/config\\.ts'), at('src/logger\\.ts'), at('src/time\\.ts'), at('src/infra/'), at('src/db/'), at('src/content/'), at('src/contract/')];
const KERNEL = [at('src/chat/')];
const LEARNING = [at('src/learning/')];
const RUNS = [at('src/runs/')];
const SCHEDULE = [at('src/schedule/')];
const SERVICES = [at('src/services\\.ts')];
const COMMANDS = [at('commands/')];
const ROUTER = [at('src/router/')];
const PLATFORMS = [at('src/platforms/')];
const RUNNER = [at('src/runner/')];
const ROOTS = [at('src/app\\.ts'), at('src/cli\\.ts')];
const DATABASE = [at('src/db/'), '^drizzle-orm', '^better-sqlite3'];

const above = (...groups) => groups.flat();
const rule = (name, comment, from, to) => ({ name, comment, severity: 'error', from: { path: from }, to: { path: to } });

module.exports = {
  forbidden: [
    { name: 'no-cycles', comment: 'Import cycles make layers meaningless and start-up order fragile.', severity: 'error', from: {}, to: { circular: true } },
    rule(
      'bottom-imports-bottom-only',
      'config, logger, time, text, infra, db, content and the run contract are imported by everyone and import only each other.',
      above(BOTTOM, TEXT),
      above(KERNEL, LEARNING, RUNS, SCHEDULE, SERVICES, COMMANDS, ROUTER, PLATFORMS, RUNNER, ROOTS),
    ),
    rule(
      'kernel-imports-kernel-only',
      'The chat kernel (reply model, command types, component ids, errors, parser, Adapter) uses only text utilities.',
      KERNEL,
      above(BOTTOM, LEARNING, RUNS, SCHEDULE, SERVICES, COMMANDS, ROUTER, PLATFORMS, RUNNER, ROOTS),
    ),
    rule(
      'learning-returns-data',
      'The learning core returns outcomes, never chat text: it imports no chat kernel and nothing above it.',
      LEARNING,
      above(KERNEL, RUNS, SCHEDULE, SERVICES, COMMANDS, ROUTER, PLATFORMS, RUNNER, ROOTS),
    ),
    rule('runs-below-commands', 'Code runs sit below the commands and beside the schedule.', RUNS, above(SCHEDULE, SERVICES, COMMANDS, ROUTER, PLATFORMS, RUNNER, ROOTS)),
    rule('schedule-below-commands', 'The schedule decides when; what is posted is decided above it.', SCHEDULE, above(LEARNING, RUNS, SERVICES, COMMANDS, ROUTER, PLATFORMS, RUNNER, ROOTS)),
    rule('services-are-interfaces', 'Services name what handlers may use; they import no command, router or platform.', SERVICES, above(COMMANDS, ROUTER, PLATFORMS, RUNNER, ROOTS)),
    rule('commands-below-router', 'Commands never reach for the router, a platform or the database directly.', COMMANDS, above(ROUTER, PLATFORMS, RUNNER, ROOTS, DATABASE, [at('src/infra/')])),
    rule('router-below-platforms', 'The router serves the platforms and never touches the database itself.', ROUTER, above(PLATFORMS, COMMANDS, RUNNER, ROOTS, DATABASE)),
    rule(
      'platforms-are-transport',
      'Adapters depend on the router and the kernel, never on learning, the database, commands, runs or the schedule.',
      PLATFORMS,
      above(LEARNING, RUNS, SCHEDULE, SERVICES, COMMANDS, RUNNER, ROOTS, DATABASE, [at('src/content/'), at('src/infra/')]),
    ),
    rule(
      'runner-shares-only-the-contract',
      'The runner is a separate process: it shares the run contract, configuration and logging, nothing of the bot.',
      RUNNER,
      above(KERNEL, LEARNING, RUNS, SCHEDULE, SERVICES, COMMANDS, ROUTER, PLATFORMS, ROOTS, DATABASE, [at('src/content/')]),
    ),
  ],
  options: {
    doNotFollow: { path: 'node_modules' },
    tsPreCompilationDeps: true,
    tsConfig: { fileName: 'tsconfig.json' },
    enhancedResolveOptions: { exportsFields: ['exports'], conditionNames: ['import', 'require', 'node', 'default'], extensions: ['.ts', '.js'] },
  },
};
