/** Bundle-size program: this SDK on FetchHttpClient creates a user and gets a token. */
import * as HttpClientTransport from "@acs-identity/sdk/HttpClientTransport"
import { run } from "./program.js"

void run(HttpClientTransport.layerFetch)
