import { spawn, type ChildProcessByStdio } from "node:child_process";
import path from "node:path";
import type { Readable } from "node:stream";

const ROOT = path.resolve(import.meta.dirname, "../../..");

export type Child = { process: ChildProcessByStdio<null, Readable, Readable>; firstLine: Promise<string>; exited: Promise<void>; output: () => string };

/**
 * Runs src/test/child/<script> under tsx as the worker runs (react-server conditions). Node itself
 * is the child, with tsx as its loader: the tsx CLI would run the script in a grandchild, which a
 * test's `kill("SIGKILL")` would orphan (still holding its database connections, forever).
 */
export function spawnScript(script: string, args: string[], env: NodeJS.ProcessEnv = process.env): Child {
  // CHILD_NODE_ARGS: node flags for the child (the bench profiles a dispatcher with --cpu-prof).
  const nodeArgs = env.CHILD_NODE_ARGS?.split(" ").filter(Boolean) ?? [];
  const child = spawn(process.execPath, [...nodeArgs, "--import", "tsx", "--conditions=react-server", path.join(ROOT, "src/test/child", script), ...args], {
    cwd: ROOT,
    env,
    stdio: ["ignore", "pipe", "pipe"],
  });
  let stdout = "";
  let stderr = "";
  child.stderr.on("data", (chunk: Buffer) => (stderr += chunk.toString()));
  const exited = new Promise<void>((resolve) => child.once("exit", () => resolve()));
  const firstLine = new Promise<string>((resolve, reject) => {
    child.stdout.on("data", (chunk: Buffer) => {
      stdout += chunk.toString();
      const newline = stdout.indexOf("\n");
      if (newline >= 0) resolve(stdout.slice(0, newline));
    });
    void exited.then(() => reject(new Error(`${script} exited (${child.exitCode ?? child.signalCode}) before printing a line:\n${stdout}\n${stderr}`)));
  });
  return { process: child, firstLine, exited, output: () => `${stdout}\n${stderr}` };
}
