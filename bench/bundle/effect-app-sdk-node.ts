/** Bundle-size program: the baseline Effect application plus this SDK on `@acs-identity/transport-node`. */
import { NodeTransport } from "@acs-identity/transport-node"
import * as Effect from "effect/Effect"
import { app } from "./effect-app.js"
import { run } from "./program.js"

void Effect.runPromise(app).then(() => run(NodeTransport.layer))
