import { ConfigError, loadMiddlewareConfig } from "./config";
import { buildServer } from "./server";

/** Container entry point: validate configuration, listen, drain on SIGTERM/SIGINT. */
async function main(): Promise<void> {
  let config;
  try {
    config = loadMiddlewareConfig();
  } catch (err) {
    if (err instanceof ConfigError) {
      process.stderr.write(`${err.message}\n`);
      process.exit(2);
    }
    throw err;
  }
  const app = await buildServer(config);
  await app.listen({ port: config.port, host: config.host });

  let stopping = false;
  const stop = (signal: string) => {
    if (stopping) return;
    stopping = true;
    app.gateway.state.draining = true;
    app.log.info({ signal, graceMs: config.shutdownGraceMs }, "draining");
    // In-flight requests (including streams) finish within the grace period; then we exit regardless.
    const force = setTimeout(() => {
      app.log.warn("grace period over; exiting with requests still open");
      process.exit(1);
    }, config.shutdownGraceMs);
    force.unref();
    app.close().then(
      () => process.exit(0),
      (err: unknown) => {
        app.log.error({ message: (err as Error).message }, "shutdown failed");
        process.exit(1);
      },
    );
  };
  process.on("SIGTERM", () => stop("SIGTERM"));
  process.on("SIGINT", () => stop("SIGINT"));
}

main().catch((err: unknown) => {
  process.stderr.write(`middleware failed to start: ${(err as Error).stack ?? String(err)}\n`);
  process.exit(1);
});
