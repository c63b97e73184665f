/**
 * A whole-number option whose parse error names the option (`@effect/cli`'s own integer option
 * reports only the value: "'soon' is not a integer").
 *
 * @since 0.1.0
 */
import * as HelpDoc from "@effect/cli/HelpDoc"
import * as Options from "@effect/cli/Options"
import * as ValidationError from "@effect/cli/ValidationError"
import * as Effect from "effect/Effect"

const digits = /^-?\d+$/

/**
 * `--<name> <pseudoName>`, parsed as a safe integer; anything else fails with
 * "invalid --<name>: '<value>' is not a whole number".
 *
 * @since 0.1.0
 * @category constructors
 */
export const option = (name: string, pseudoName: string): Options.Options<number> =>
  Options.text(name).pipe(
    Options.withPseudoName(pseudoName),
    Options.mapEffect((text) => {
      const value = Number(text)
      return digits.test(text) && Number.isSafeInteger(value)
        ? Effect.succeed(value)
        : Effect.fail(ValidationError.invalidValue(HelpDoc.p(`invalid --${name}: '${text}' is not a whole number`)))
    })
  )
