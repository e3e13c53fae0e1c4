/** GET /healthz: 200 when the database answers, 503 when it does not. */
import Router from "@koa/router";

export function healthRouter(checkDatabase: () => Promise<void>): Router {
  const router = new Router();
  router.get("/healthz", async (ctx) => {
    ctx.set("Cache-Control", "no-store");
    try {
      await checkDatabase();
      ctx.body = { status: "ok", database: "ok" };
    } catch (error) {
      ctx.state.log.warn({ err: error }, "health check failed");
      ctx.status = 503;
      ctx.body = { status: "unavailable", database: "unreachable" };
    }
  });
  return router;
}
