// `pnpm --silent secret-vars`: prints `export TF_VAR_...` lines carrying the secret values of the settings (.env /
// environment) for the base stack's sensitive variables. Use it only as `eval "$(pnpm --silent secret-vars)"`
// before `cdktf deploy` / `terraform plan`: the values go to stdout of this explicit command and nowhere else.
import { secretVariableExports } from "@gw/stacks/secret-variables";
import { loadSettingsOrExit } from "@gw/stacks/settings-cli";

if (process.stdout.isTTY) {
  // Printing to a terminal would show every secret on screen (and in scroll-back or a recorded session).
  process.stderr.write('secret-vars prints secret values: run it as eval "$(pnpm --silent secret-vars)"\n');
  process.exit(2);
}
const loaded = loadSettingsOrExit(process.env, { printWarnings: false });
process.stdout.write(`${secretVariableExports(loaded).join("\n")}\n`);
