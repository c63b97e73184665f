import { assert, describe, it } from "@effect/vitest"
import { readFileSync } from "node:fs"
import { isCommunicationUserIdentifier, packageName, packageVersion } from "../src/index.js"
import { userAgent } from "../src/Version.js"

describe("package identity", () => {
  it("the name and version sent in User-Agent match package.json", () => {
    const manifest = JSON.parse(readFileSync(new URL("../package.json", import.meta.url), "utf8"))
    assert.strictEqual(packageName, manifest.name)
    assert.strictEqual(packageVersion, manifest.version)
    assert.strictEqual(userAgent, `acs-identity-sdk/${manifest.version}`)
  })

  it("isCommunicationUserIdentifier tells ACS users from other identifiers", () => {
    assert.isTrue(isCommunicationUserIdentifier({ communicationUserId: "8:acs:r_u" }))
    assert.isFalse(isCommunicationUserIdentifier({ phoneNumber: "+14255550123" }))
    assert.isFalse(isCommunicationUserIdentifier({ id: "x" }))
  })
})
