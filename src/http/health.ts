/** GET /healthz: 200 when the database answers, 503 when it does not. */
import type { Edge } from "./edge/index.js";

export const healthPaths = { health: "/healthz" } as const;

export function mountHealthRoutes(edge: Edge, checkDatabase: () => Promise<void>): void {
  edge.api().get(healthPaths.health, async (ctx) => {
    try {
      await checkDatabase();
      ctx.body = { status: "ok", database: "ok" };
    } catch (error) {
      ctx.state.log.warn({ err: error }, "health check failed");
      ctx.status = 503;
      ctx.body = { status: "unavailable", database: "unreachable" };
    }
  });
}
