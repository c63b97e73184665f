import { assert, describe, it } from "@effect/vitest"
import * as Controls from "../src/Controls.js"

/** Every C0 control, DEL and every C1 control. */
const allControls = [
  ...Array.from({ length: 0x20 }, (_, i) => String.fromCharCode(i)),
  ...Array.from({ length: 0x21 }, (_, i) => String.fromCharCode(0x7f + i))
]

describe("Controls.escape", () => {
  it("tab, newline and carriage return by name", () => {
    assert.strictEqual(Controls.escape("a\tb\nc\rd"), "a\\tb\\nc\\rd")
  })

  it("other C0 controls and DEL as \\xHH, C1 controls as \\u00HH", () => {
    assert.strictEqual(Controls.escape("\u001b[2J\u001b]0;title\u0007"), "\\x1b[2J\\x1b]0;title\\x07")
    assert.strictEqual(Controls.escape("\u0000\u0008\u001f\u007f"), "\\x00\\x08\\x1f\\x7f")
    assert.strictEqual(Controls.escape("\u0080\u009b31m\u009f"), "\\u0080\\u009b31m\\u009f")
  })

  it("leaves no control character behind, and printable text as it is", () => {
    for (const char of allControls) {
      const escaped = Controls.escape(`x${char}y`)
      assert.isFalse(Controls.hasControl(escaped), JSON.stringify(escaped))
      assert.isAbove(escaped.length, 3)
    }
    const printable = "8:acs:abc_def-1 é ü \u00a0 € 😀 \\x1b"
    assert.strictEqual(Controls.escape(printable), printable)
  })

  it("the same answer on repeated calls (no regex state kept between them)", () => {
    assert.strictEqual(Controls.escape("\u001b\u001b"), "\\x1b\\x1b")
    assert.strictEqual(Controls.escape("\u001b\u001b"), "\\x1b\\x1b")
  })
})

describe("Controls.hasControl", () => {
  it("true for every C0 and C1 control and DEL, false for printable text", () => {
    for (const char of allControls) assert.isTrue(Controls.hasControl(`ab${char}`), char.charCodeAt(0).toString(16))
    for (const text of ["", "8:acs:abc", " spaced ", "\u00a0é😀", "~"]) assert.isFalse(Controls.hasControl(text), text)
  })
})

describe("Controls.json", () => {
  it("escapes C1 controls and DEL, which JSON.stringify leaves raw; parses back to the same value", () => {
    const value = { message: "a\u009b2Jb\u007fc\u001b[0m", list: ["\u0085"] }
    assert.include(JSON.stringify(value), "\u009b", "JSON.stringify alone leaves C1 raw")
    const text = Controls.json(value)
    assert.strictEqual(text, "{\"message\":\"a\\u009b2Jb\\u007fc\\u001b[0m\",\"list\":[\"\\u0085\"]}")
    assert.isFalse(Controls.hasControl(text))
    assert.deepStrictEqual(JSON.parse(text), value)
  })

  it("keeps the indent", () => {
    assert.strictEqual(Controls.json({ id: "8:acs:x" }, 2), "{\n  \"id\": \"8:acs:x\"\n}")
  })
})

describe("Controls.quote", () => {
  it("single quotes around the escaped value", () => {
    assert.strictEqual(Controls.quote("8:acs:abc\t"), "'8:acs:abc\\t'")
    assert.strictEqual(Controls.quote(""), "''")
  })

  it("cut after 60 characters of the escaped text", () => {
    const sixty = "a".repeat(60)
    assert.strictEqual(Controls.quote(sixty), `'${sixty}'`)
    assert.strictEqual(Controls.quote(`${sixty}b`), `'${"a".repeat(59)}…'`)
    // 30 tabs escape to 60 characters: kept whole; 31 are cut
    assert.strictEqual(Controls.quote("\t".repeat(30)), `'${"\\t".repeat(30)}'`)
    assert.strictEqual(Controls.quote("\t".repeat(31)).length, 62)
  })
})
