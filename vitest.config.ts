// Four projects, one run (`npm test`): unit (fakes allowed), checks (types and lint),
// integration (real Kafka, moto, Secret Service), e2e (real Chromium).
import react from "@vitejs/plugin-react";
import { defineConfig } from "vitest/config";

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
        test: {
          name: "integration",
          include: ["test/integration/**/*.test.ts"],
          globalSetup: ["test/support/stack-setup.ts"],
          testTimeout: 120_000,
          hookTimeout: 180_000,
        },
      },
      // e2e needs the stack too (the wizard's exporters run against the real Kafka).
      {
        extends: true,
        test: { name: "e2e", include: ["test/e2e/**/*.test.ts"], globalSetup: ["test/support/stack-setup.ts"], testTimeout: 120_000, hookTimeout: 120_000 },
      },
    ],
  },
});
