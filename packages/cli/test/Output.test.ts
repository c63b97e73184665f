import { assert, describe, it } from "@effect/vitest"
import * as Output from "../src/Output.js"

const row: Output.Row = [["id", "8:acs:r_u"], ["customId", undefined], ["note", "a\tb"]]

describe("Output.render", () => {
  it("json holds the fields that have a value, in order", () => {
    assert.strictEqual(Output.render("json", row), "{\n  \"id\": \"8:acs:r_u\",\n  \"note\": \"a\\tb\"\n}")
  })

  it("table aligns a header, a rule and the values", () => {
    assert.strictEqual(
      Output.render("table", row),
      ["id         customId  note", "---------  --------  ----", "8:acs:r_u            a b"].join("\n")
    )
  })

  it("tsv prints values only, an empty column for a missing one, tabs inside values replaced", () => {
    assert.strictEqual(Output.render("tsv", row), "8:acs:r_u\t\ta b")
  })

  it("none prints nothing", () => {
    assert.isUndefined(Output.render("none", row))
  })
})
