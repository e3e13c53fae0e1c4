/** The demo room's public surface: the demo client's seed and its callback page. */
export { demoPaths, mountDemoRoutes } from "./routes.js";
export { demoCallbackPath, demoClientId, seedDemoClient } from "./seed.js";
