/** Bundle-size program: the baseline Effect application plus this SDK on the application's fetch client. */
import * as FetchHttpClient from "@effect/platform/FetchHttpClient"
import * as Effect from "effect/Effect"
import { app } from "./effect-app.js"
import { run } from "./program.js"

void Effect.runPromise(app).then(() => run(FetchHttpClient.layer))
