import { assert, describe, it } from "@effect/vitest"
import * as fc from "fast-check"
import {
  type CommunicationIdentifier,
  createIdentifierFromRawId,
  getIdentifierKind,
  getIdentifierRawId
} from "../src/index.js"

const acsUser = "8:acs:2dee53b4-368b-45b4-ab52-8493fb117652_00000005-14a2-493b-8a72-5a3a0d000081"

const table: ReadonlyArray<readonly [string, CommunicationIdentifier]> = [
  [acsUser, { communicationUserId: acsUser }],
  ["8:spool:abc_def", { communicationUserId: "8:spool:abc_def" }],
  ["8:dod-acs:r_u", { communicationUserId: "8:dod-acs:r_u" }],
  ["8:gcch-acs:r_u", { communicationUserId: "8:gcch-acs:r_u" }],
  ["8:acs:res_wf_tenant_user", { communicationUserId: "8:acs:res_wf_tenant_user" }],
  ["8:acs:res_tenant_user", {
    resourceId: "res",
    tenantId: "tenant",
    userId: "user",
    rawId: "8:acs:res_tenant_user",
    cloud: "public"
  }],
  ["8:dod-acs:res_tenant_user", {
    resourceId: "res",
    tenantId: "tenant",
    userId: "user",
    rawId: "8:dod-acs:res_tenant_user",
    cloud: "dod"
  }],
  ["8:orgid:45ab", { microsoftTeamsUserId: "45ab", rawId: "8:orgid:45ab", isAnonymous: false, cloud: "public" }],
  ["8:dod:45ab", { microsoftTeamsUserId: "45ab", rawId: "8:dod:45ab", isAnonymous: false, cloud: "dod" }],
  ["8:gcch:45ab", { microsoftTeamsUserId: "45ab", rawId: "8:gcch:45ab", isAnonymous: false, cloud: "gcch" }],
  ["8:teamsvisitor:45ab", { microsoftTeamsUserId: "45ab", rawId: "8:teamsvisitor:45ab", isAnonymous: true }],
  ["28:orgid:app", { teamsAppId: "app", rawId: "28:orgid:app", cloud: "public" }],
  ["28:gcch:app", { teamsAppId: "app", rawId: "28:gcch:app", cloud: "gcch" }],
  ["28:dod:app", { teamsAppId: "app", rawId: "28:dod:app", cloud: "dod" }],
  ["4:+14255550123", { phoneNumber: "+14255550123", rawId: "4:+14255550123", isAnonymous: false }],
  ["4:anonymous", { phoneNumber: "anonymous", rawId: "4:anonymous", isAnonymous: true }],
  ["4:+1123_207ffef6", {
    phoneNumber: "+1123_207ffef6",
    rawId: "4:+1123_207ffef6",
    isAnonymous: false,
    assertedId: "207ffef6"
  }],
  ["28:gcch-global:app", { id: "28:gcch-global:app" }],
  ["28:45ab", { id: "28:45ab" }],
  ["48:x", { id: "48:x" }],
  ["8:acs:a:b", { id: "8:acs:a:b" }],
  ["", { id: "" }]
]

describe("raw ids", () => {
  it("parses every known prefix into the right identifier", () => {
    for (const [rawId, expected] of table) {
      assert.deepStrictEqual(createIdentifierFromRawId(rawId), expected, rawId)
    }
  })

  it("builds raw ids from identifiers without one", () => {
    assert.strictEqual(getIdentifierRawId({ phoneNumber: "+112345556789" }), "4:+112345556789")
    assert.strictEqual(getIdentifierRawId({ microsoftTeamsUserId: "x" }), "8:orgid:x")
    assert.strictEqual(getIdentifierRawId({ microsoftTeamsUserId: "x", isAnonymous: true }), "8:teamsvisitor:x")
    assert.strictEqual(getIdentifierRawId({ microsoftTeamsUserId: "x", cloud: "gcch" }), "8:gcch:x")
    assert.strictEqual(getIdentifierRawId({ teamsAppId: "a", cloud: "dod" }), "28:dod:a")
    assert.strictEqual(
      getIdentifierRawId({ resourceId: "r", tenantId: "t", userId: "u", cloud: "gcch" }),
      "8:gcch-acs:r_t_u"
    )
    assert.strictEqual(getIdentifierRawId({ communicationUserId: acsUser }), acsUser)
    assert.strictEqual(getIdentifierRawId({ id: "anything" }), "anything")
    assert.strictEqual(getIdentifierRawId({ microsoftTeamsUserId: "x", rawId: "8:orgid:other" }), "8:orgid:other")
  })

  it("classifies like communication-common, communication user first", () => {
    const both = { communicationUserId: "8:acs:x", phoneNumber: "+1" } as CommunicationIdentifier
    assert.strictEqual(getIdentifierKind(both), "communicationUser")
    assert.strictEqual(getIdentifierKind({ id: "x" }), "unknown")
  })

  it("round-trips every raw id: getIdentifierRawId(createIdentifierFromRawId(x)) === x", () => {
    const segment = fc.stringMatching(/^[A-Za-z0-9_-]{0,12}$/)
    const prefixes = fc.constantFrom(
      "8:acs:",
      "8:dod-acs:",
      "8:orgid:",
      "8:dod:",
      "8:gcch:",
      "8:teamsvisitor:",
      "28:orgid:",
      "28:dod:",
      "8:spool:",
      "4:",
      "28:",
      "9:x:",
      ""
    )
    fc.assert(
      fc.property(fc.oneof(fc.tuple(prefixes, segment).map(([p, s]) => p + s), fc.string()), (rawId) => {
        assert.strictEqual(getIdentifierRawId(createIdentifierFromRawId(rawId)), rawId)
      }),
      { numRuns: 2000 }
    )
  })
})
