import { assert, describe, it } from "@effect/vitest"
import * as Help from "../src/Help.js"

describe("Help.colour", () => {
  it("on a terminal only, unless the environment says otherwise", () => {
    assert.isTrue(Help.colour({ TERM: "xterm-256color" }, true))
    assert.isFalse(Help.colour({ TERM: "xterm-256color" }, false), "not through a pipe or into a file")
    assert.isFalse(Help.colour({ TERM: "dumb" }, true), "not on a dumb terminal")
  })

  it("NO_COLOR (non-empty) turns it off, even on a terminal; empty counts as unset", () => {
    assert.isFalse(Help.colour({ NO_COLOR: "1" }, true))
    assert.isFalse(Help.colour({ NO_COLOR: "anything" }, true))
    assert.isTrue(Help.colour({ NO_COLOR: "" }, true))
  })

  it("FORCE_COLOR turns it on, even through a pipe and over NO_COLOR; 0 and false turn it off", () => {
    assert.isTrue(Help.colour({ FORCE_COLOR: "1" }, false))
    assert.isTrue(Help.colour({ FORCE_COLOR: "3", NO_COLOR: "1" }, false))
    assert.isFalse(Help.colour({ FORCE_COLOR: "0" }, true))
    assert.isFalse(Help.colour({ FORCE_COLOR: "false" }, true))
    assert.isFalse(Help.colour({ FORCE_COLOR: "", NO_COLOR: "1" }, true), "empty FORCE_COLOR counts as unset")
  })
})
