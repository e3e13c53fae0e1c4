/**
 * One process at a time on the embedded database. PGlite works on its own copy of the data
 * folder and writes it back as it closes, so a second process on the same folder (the CLI
 * while Tessera runs, two Tesseras) would silently lose one side's writes. A lock file
 * holding the owner's pid makes the second opener fail with a clear message instead; a lock
 * left by a process that no longer runs is taken over.
 */
import fs from "node:fs/promises";
import path from "node:path";

export class DataDirLockedError extends Error {
  constructor(readonly dataDir: string, readonly pid: number) {
    super(
      `The embedded database in ${dataDir} is in use by process ${pid}. Only one process can open it: stop that process first, or use PostgreSQL through DATABASE_URL.`,
    );
    this.name = "DataDirLockedError";
  }
}

function isRunning(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch (error) {
    return (error as NodeJS.ErrnoException).code === "EPERM";
  }
}

/** Takes the lock; answers the function that releases it. */
export async function lockDataDir(dataDir: string): Promise<() => Promise<void>> {
  const file = path.join(dataDir, "tessera.lock");
  for (let attempt = 0; attempt < 2; attempt++) {
    try {
      await fs.writeFile(file, String(process.pid), { flag: "wx" });
      return () => fs.rm(file, { force: true });
    } catch (error) {
      if ((error as NodeJS.ErrnoException).code !== "EEXIST") throw error;
      const owner = Number(await fs.readFile(file, "utf8").catch(() => ""));
      if (owner && owner !== process.pid && isRunning(owner)) throw new DataDirLockedError(dataDir, owner);
      await fs.rm(file, { force: true });
    }
  }
  throw new Error(`Could not take the lock ${file}`);
}
