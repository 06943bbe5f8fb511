// The Chromium that tests and benchmarks drive, and how they launch it.
import { existsSync } from "node:fs";

/**
 * CHROMIUM_PATH, else Debian's Chromium headless shell (the same engine without the desktop browser
 * around it: the e2e specs took about 28 % less time and CPU in it than in the full `chromium` on
 * 2 cores), else Debian's full Chromium; undefined when none is installed.
 */
export function installedChromium() {
  return [process.env.CHROMIUM_PATH, "/usr/bin/chromium-headless-shell", "/usr/bin/chromium", "/usr/bin/chromium-browser"].find(
    (candidate) => candidate && existsSync(candidate),
  );
}

/** Without the background-networking flags Chromium keeps dialing Google's hosts, which this machine's closed network refuses. */
export const CHROMIUM_ARGS = ["--no-sandbox", "--disable-gpu", "--disable-background-networking", "--disable-component-update", "--disable-sync", "--no-first-run", "--disable-quic"];
