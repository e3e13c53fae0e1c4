/** The demo room's public surface: the demo client's seed, its sign-in URL and its callback page. */
export { demoAuthorizeUrl, demoPaths, mountDemoRoutes } from "./routes.js";
export { demoCallbackPath, demoClientId, seedDemoClient } from "./seed.js";
