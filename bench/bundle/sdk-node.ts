/** Bundle-size program: this SDK on the lean Node transport creates a user and gets a token. */
import { NodeTransport } from "@acs-identity/transport-node"
import { run } from "./program.js"

void run(NodeTransport.layer)
