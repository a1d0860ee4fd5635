// One run (`npm test`) of unit (fakes allowed), checks (types and lint), integration (real Kafka,
// moto, Secret Service; its waiting files a project of their own, below) and e2e (real Chromium).
import react from "@vitejs/plugin-react";
import { configDefaults, defineConfig } from "vitest/config";

// Files that spend most of their time waiting (a broker or registry down for 30 s, a retry 30 s
// away, tokens running out) and share nothing with each other: they run last, two at a time, the
// private broker's five outages beside the rest. Every other file runs alone (two shared cores).
const waiting = [
  "test/integration/exporters/broker-outages.test.ts",
  "test/integration/exporters/chaos-kill.test.ts",
  "test/integration/exporters/needs-person.test.ts",
  "test/integration/schemas/registry-outage.test.ts",
  "test/integration/streams/oauth-login.test.ts",
];
// What every project on the stack (real Kafka, moto, the registry) shares: the stack's start, and room for it.
const onStack = { globalSetup: ["test/support/stack-setup.ts"], testTimeout: 120_000, hookTimeout: 180_000 };

export default defineConfig({
  plugins: [react()],
  test: {
    reporters: ["default", "./test/support/summary-reporter.ts"],
    // No test may reach the EC2 instance metadata address: everything stays on 127.0.0.1.
    env: { AWS_EC2_METADATA_DISABLED: "true" },
    projects: [
      { extends: true, test: { name: "unit", include: ["test/unit/**/*.test.{ts,tsx}"], environment: "node" } },
      { extends: true, test: { name: "checks", include: ["test/checks/**/*.test.ts"], testTimeout: 240_000 } },
      {
        extends: true,
        test: { name: "integration", include: ["test/integration/**/*.test.ts"], exclude: [...configDefaults.exclude, ...waiting], ...onStack },
      },
      { extends: true, test: { name: "integration (waiting)", include: waiting, maxWorkers: 2, sequence: { groupOrder: 1 }, ...onStack } },
      // e2e needs the stack too (the wizard's exporters run against the real Kafka).
      { extends: true, test: { name: "e2e", include: ["test/e2e/**/*.test.ts"], ...onStack } },
    ],
  },
});
