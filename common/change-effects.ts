// What a change to an exporter does beyond the exporter itself, said before it is saved: the core
// (main/core/exporters/control/exporter-service.ts) decides them, the CLI and the window's review show them.
import type { Fix } from "./fixes.js";
import type { LineFormatWarning } from "./record-format.js";

export interface ChangeEffect {
  code: "file-names" | "line-format" | "policy" | "restart" | LineFormatWarning["code"];
  message: string;
  /** What can be done first so the save goes through (a policy the app may update): offered beside the review. */
  fixes?: Fix[];
}
