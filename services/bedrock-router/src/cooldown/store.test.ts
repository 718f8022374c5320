import { describe } from "vitest";
import { InMemoryCooldownStore } from "./store";
import { cooldownStoreContract } from "../test-support/store-contract";

describe("InMemoryCooldownStore", () => {
  cooldownStoreContract(() => new InMemoryCooldownStore());
});
