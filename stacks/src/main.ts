// cdktf app entry (cdktf.json "app"): validate settings, then synthesize base, ecs, eks (+ fake-llm, bastion).
import { buildApp } from "./app";
import { exitOnBuildError, loadSettingsOrExit } from "./settings-cli";

const loaded = loadSettingsOrExit();
let app;
try {
  app = buildApp(loaded).app;
} catch (err) {
  exitOnBuildError(err);
}
app.synth();
