/** The HTTP server: the app, its route table, and starting it. */
export { createApp, type AppContext, type PledgeApp } from "./app.js";
export { startServer, settingsFromEnv, mailSender, type ServerOptions, type RunningServer } from "./serve.js";
export { RouteTable, parseInput, type RouteSpec, type Access } from "./routes.js";
export { openApiDocument, operationIdOf } from "./openapi.js";
export { HttpError, toErrorResponse } from "./errors.js";
export { createLogger, type Logger } from "./logger.js";
export { Metrics } from "./metrics.js";
