import { assert, describe, it } from "@effect/vitest"
import * as Suggest from "../src/Suggest.js"

const tokenCommands = ["issue", "revoke", "get-for-teams-user", "get-for-teams-extension-user", "get-for-entra-user"]
const scopes = ["chat", "voip", "chat.join", "chat.join.limited", "voip.join"]

describe("Suggest.closest", () => {
  it("one letter missing, added or changed is a typo", () => {
    assert.strictEqual(Suggest.closest("isue", tokenCommands), "issue")
    assert.strictEqual(Suggest.closest("revokee", tokenCommands), "revoke")
    assert.strictEqual(Suggest.closest("vop", scopes), "voip")
    assert.strictEqual(Suggest.closest("2025-06-31", ["2023-10-01", "2025-06-30", "2025-03-02-preview"]), "2025-06-30")
  })

  it("two neighbours swapped count as one edit", () => {
    assert.strictEqual(Suggest.closest("craete", ["create", "delete", "show"]), "create")
    assert.strictEqual(Suggest.closest("caht", scopes), "chat")
    // Without the swap rule "caht" is two edits from "chat", over the limit for four letters.
    assert.isUndefined(Suggest.closest("caht", ["chta"]))
  })

  it("compares case-insensitively and answers with the candidate's own spelling", () => {
    assert.strictEqual(Suggest.closest("ISUE", tokenCommands), "issue")
    assert.strictEqual(Suggest.closest("resourceaccount", ["resourceAccount", "user"]), "resourceAccount")
    assert.strictEqual(Suggest.closest("usr", ["resourceAccount", "user"]), "user")
  })

  it("at most a third of the word's letters apart (at least one)", () => {
    // 9 letters: 3 edits are a typo, 4 are not
    assert.strictEqual(Suggest.closest("chat.jxxx", ["chat.join"]), "chat.join")
    assert.isUndefined(Suggest.closest("chat.xxxx", ["chat.join"]))
    // 3 letters: one edit only
    assert.isUndefined(Suggest.closest("tkn", ["token"]))
    assert.strictEqual(Suggest.closest("tkn", ["tokn"]), "tokn")
    assert.isUndefined(Suggest.closest("frobnicate", ["user", "token", "teams-extension", "entra", "mock"]))
  })

  it("the nearest candidate wins, and the first of equally near ones", () => {
    assert.strictEqual(Suggest.closest("chat.joi", scopes), "chat.join")
    assert.strictEqual(Suggest.closest("bash", ["bash", "fish", "sh", "zsh"]), "bash")
    assert.strictEqual(Suggest.closest("xsh", ["zsh", "fsh"]), "zsh")
  })

  it("a word of three letters or more that begins exactly one candidate suggests it", () => {
    assert.strictEqual(Suggest.closest("get-for-e", tokenCommands), "get-for-entra-user")
    // begins two: no suggestion
    assert.isUndefined(Suggest.closest("get-for-teams", tokenCommands))
    // too short to be a prefix worth suggesting
    assert.isUndefined(Suggest.closest("ge", tokenCommands))
    assert.strictEqual(Suggest.closest("TEAMS-", ["user", "teams-extension", "entra"]), "teams-extension")
  })

  it("no candidates, no suggestion", () => {
    assert.isUndefined(Suggest.closest("anything", []))
    assert.isUndefined(Suggest.closest("", []))
  })
})
