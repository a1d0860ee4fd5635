// A separate process for the concurrency test: adds `count` sinks named `<prefix>-<i>`, one
// locked update each. Run with: node --import tsx config-writer.ts <dataDir> <prefix> <count>
import { randomUUID } from "node:crypto";
import { ConfigStore } from "../../main/core/config/store.js";

const [dataDir, prefix, count] = process.argv.slice(2);
const store = new ConfigStore(dataDir!);
for (let i = 0; i < Number(count); i += 1) {
  const at = new Date().toISOString();
  await store.update((config) => {
    config.sinks.push({
      id: randomUUID(),
      name: `${prefix}-${i}`,
      type: "S3",
      bucket: "concurrent",
      credentials: { source: "default-chain" },
      createdAt: at,
      updatedAt: at,
    });
  });
}
