/**
 * The `tessera` process's end of the admin API: sends the command line to the Tessera
 * listening on DATA_DIR's socket and answers what it printed and its exit code, or
 * undefined when none listens there (no socket, or one left by a Tessera that is gone),
 * in which case nothing was sent and the CLI runs the command itself.
 */
import http from "node:http";
import { adminCommandPath, type AdminAnswer, type AdminCommand } from "./admin-api.js";

/** Errors that mean no server took the connection: the command was not received. */
const nobodyListening = new Set(["ENOENT", "ECONNREFUSED", "ENOTSOCK"]);

export class AdminApiError extends Error {
  constructor(message: string) {
    super(message);
    this.name = "AdminApiError";
  }
}

export function sendToRunningTessera(socketPath: string, command: AdminCommand): Promise<AdminAnswer | undefined> {
  const body = JSON.stringify(command);
  return new Promise((resolve, reject) => {
    let connected = false;
    const request = http.request(
      { socketPath, path: adminCommandPath, method: "POST", headers: { "content-type": "application/json", "content-length": Buffer.byteLength(body) } },
      (response) => {
        let text = "";
        response.setEncoding("utf8");
        response.on("data", (chunk: string) => (text += chunk));
        response.on("end", () => {
          if (response.statusCode !== 200) return reject(new AdminApiError(`the running Tessera refused the command (HTTP ${response.statusCode}): ${text.trim()}`));
          resolve(JSON.parse(text) as AdminAnswer);
        });
        response.on("error", reject);
      },
    );
    request.on("socket", (socket) => socket.once("connect", () => (connected = true)));
    request.on("error", (error: NodeJS.ErrnoException) => {
      if (!connected && error.code && nobodyListening.has(error.code)) return resolve(undefined);
      if (!connected && error.code === "EACCES") {
        return reject(new AdminApiError(`Tessera is running, but only the user it runs as may use ${socketPath}: run the command as that user`));
      }
      reject(new AdminApiError(`the running Tessera stopped answering (${error.code ?? error.message}); the command may or may not have been carried out`));
    });
    request.end(body);
  });
}
