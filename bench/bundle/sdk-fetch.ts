/** Bundle-size program: this SDK on FetchHttpClient creates a user and gets a token. */
import * as FetchHttpClient from "@effect/platform/FetchHttpClient"
import { run } from "./program.js"

void run(FetchHttpClient.layer)
