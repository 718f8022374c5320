/** `pnpm --filter @gw/fake-llm start [flags]`: starts one instance, or a labelled fleet with --fleet. */
import { CliError, parseCli, USAGE } from "./cli-args";
import { startFakeLlm, type FakeLlm } from "./server";

async function main(): Promise<void> {
  let cfg;
  try {
    cfg = parseCli(process.argv.slice(2));
  } catch (e) {
    if (e instanceof CliError) {
      console.error(`${e.message}\n\n${USAGE}`);
      process.exit(2);
    }
    throw e;
  }
  if (cfg.help) {
    console.log(USAGE);
    return;
  }
  const running: FakeLlm[] = [];
  try {
    for (const member of cfg.fleet) running.push(await startFakeLlm({ ...cfg.options, region: member.region, port: member.port }));
  } catch (e) {
    await Promise.all(running.map((f) => f.close()));
    throw e;
  }
  for (const f of running) console.log(`fake-llm ${f.region} listening on ${f.url} (bound ${cfg.options.host ?? "127.0.0.1"}:${f.port})`);
  const stop = async () => {
    await Promise.all(running.map((f) => f.close()));
    process.exit(0);
  };
  process.once("SIGINT", stop);
  process.once("SIGTERM", stop);
}

main().catch((e) => {
  console.error(`fake-llm: ${(e as Error).message}`);
  process.exit(1);
});
