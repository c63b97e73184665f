/** Bundle-size baseline entry: runs the baseline Effect application alone. */
import * as Effect from "effect/Effect"
import { app } from "./effect-app.js"

void Effect.runPromise(app)
