import { assert, describe, it } from "@effect/vitest"
import * as Option from "effect/Option"
import * as Output from "../src/Output.js"

const row: Output.Row = [["id", "8:acs:r_u"], ["customId", undefined], ["note", "a\tb"]]

const shape = (output: Output.Format, query?: string): Output.Shape => ({ output, query: Option.fromNullable(query) })

describe("Output.render", () => {
  it("json holds the fields that have a value, in order", () => {
    assert.strictEqual(Output.render(shape("json"), row), "{\n  \"id\": \"8:acs:r_u\",\n  \"note\": \"a\\tb\"\n}")
  })

  it("table aligns a header, a rule and the values", () => {
    assert.strictEqual(
      Output.render(shape("table"), row),
      ["id         customId  note", "---------  --------  ----", "8:acs:r_u            a b"].join("\n")
    )
  })

  it("tsv prints values only, an empty column for a missing one, tabs inside values replaced", () => {
    assert.strictEqual(Output.render(shape("tsv"), row), "8:acs:r_u\t\ta b")
  })

  it("--query picks fields in its order; one field is a bare json value and a single tsv column", () => {
    assert.strictEqual(Output.render(shape("json", "id"), row), "\"8:acs:r_u\"")
    assert.strictEqual(Output.render(shape("tsv", "id"), row), "8:acs:r_u")
    assert.strictEqual(Output.render(shape("tsv", "note,id"), row), "a b\t8:acs:r_u")
    assert.strictEqual(
      Output.render(shape("json", "note,id"), row),
      "{\n  \"note\": \"a\\tb\",\n  \"id\": \"8:acs:r_u\"\n}"
    )
  })

  it("control characters from the service are escaped in every format (C0, C1, DEL)", () => {
    const hostile: Output.Row = [["id", "8:acs:\u001b]52;c;SGVsbG8=\u0007x\u009b2J\u007f"]]
    const expected = "8:acs:\\x1b]52;c;SGVsbG8=\\x07x\\u009b2J\\x7f"
    assert.strictEqual(Output.render(shape("tsv"), hostile), expected)
    assert.strictEqual(Output.render(shape("table"), hostile)!.split("\n")[2], expected)
    const json = Output.render(shape("json"), hostile)!
    // eslint-disable-next-line no-control-regex -- matching control characters is the point
    assert.notMatch(json, /[\u0000-\u0009\u000b-\u001f\u007f-\u009f]/)
    assert.deepStrictEqual(JSON.parse(json), { id: hostile[0]![1] }, "json keeps the value, escaped")
  })

  it("none prints nothing", () => {
    assert.isUndefined(Output.render(shape("none"), row))
  })
})
