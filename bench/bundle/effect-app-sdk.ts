/** Bundle-size program: the baseline Effect application plus this SDK on the application's fetch client. */
import * as HttpClientTransport from "@acs-identity/sdk/HttpClientTransport"
import * as FetchHttpClient from "@effect/platform/FetchHttpClient"
import * as Effect from "effect/Effect"
import * as Layer from "effect/Layer"
import { app } from "./effect-app.js"
import { run } from "./program.js"

void Effect.runPromise(app).then(() => run(HttpClientTransport.layer.pipe(Layer.provide(FetchHttpClient.layer))))
