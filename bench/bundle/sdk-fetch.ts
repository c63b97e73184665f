/** Bundle-size program: this SDK on FetchHttpClient creates a user and gets a token. */
import { Transport } from "@acs-identity/sdk"
import { run } from "./program.js"

void run(Transport.layerFetch)
