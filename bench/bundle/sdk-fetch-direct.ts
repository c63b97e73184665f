/** Bundle-size program: this SDK straight on fetch (`FetchTransport`) creates a user and gets a token. */
import * as FetchTransport from "@acs-identity/sdk/FetchTransport"
import { run } from "./program.js"

void run(FetchTransport.layer)
