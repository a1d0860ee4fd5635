// moto server: S3, IAM and STS on one port, from a pinned PyPI release kept in a cached venv.
import { existsSync } from "node:fs";
import { join } from "node:path";
import { StackError } from "./errors.js";
import { cacheDir, logDir } from "./paths.js";
import { host, httpAnswers, ports } from "./ports.js";
import { runTool, startServer, type Tool } from "./processes.js";
import type { Running } from "./state.js";

export const motoVersion = "5.2.5";
const venv = join(cacheDir, `moto-${motoVersion}`);
const python: Tool = { command: "python3", install: "Install Python 3 with venv, e.g. `apt-get install -y python3 python3-venv`." };

/** Creates the venv on first use; pip's own cache keeps the wheels for the next venv. */
export function motoServerBinary(): string {
  const binary = join(venv, "bin", "moto_server");
  if (existsSync(binary)) return binary;
  runTool(python, ["-m", "venv", venv]);
  const pip: Tool = { command: join(venv, "bin", "pip"), install: "Install python3-venv (it brings pip)." };
  try {
    runTool(pip, ["install", "--quiet", `moto[server]==${motoVersion}`]);
  } catch (error) {
    throw new StackError(`pip could not install moto[server]==${motoVersion}. Check that PyPI is reachable.\n${(error as Error).message}`);
  }
  return binary;
}

export const motoEndpoint = (port = ports.moto) => `http://${host}:${port}`;

/** A busy machine (the test suite running) can make moto slow to answer: a slow answer is not a dead server. */
export const motoAnswers = (port = ports.moto, timeoutMs = 5000): Promise<boolean> => httpAnswers(`${motoEndpoint(port)}/moto-api/data.json`, timeoutMs);

export async function startMoto(): Promise<Running> {
  const binary = motoServerBinary();
  const logFile = join(logDir, "moto.log");
  const pid = await startServer({
    name: "moto server",
    tool: { command: binary, install: `Remove ${venv} to reinstall moto.` },
    args: ["-H", host, "-p", String(ports.moto)],
    logFile,
    answers: () => motoAnswers(),
    timeoutMs: 30_000,
  });
  return { pid, port: ports.moto, logFile };
}
