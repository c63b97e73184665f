/**
 * Every Entra ID assignment of a resource as a `Stream` (preview), following the pages of
 * `listEntraAssignmentsPage` as the stream is read. A module of its own, as `HttpClientTransport`
 * is: only an application that streams the assignments loads `effect/Stream`, which would
 * otherwise be about a tenth of the SDK's cold start.
 *
 * A listing is bounded: it follows at most `maxPages` pages (empty ones count too), and a
 * continuation token seen before is a cycle; both end the stream with an `UnexpectedResponseError`
 * naming what happened, rather than requesting forever. The HTTP client and the in-memory layer
 * both page through here, so both stop at the same bound.
 *
 * @since 0.1.0
 */
import * as Chunk from "effect/Chunk"
import * as Effect from "effect/Effect"
import * as Option from "effect/Option"
import * as Stream from "effect/Stream"
import type { Service } from "./CommunicationIdentityClient.js"
import { type AssignmentWriteError, InvalidArgumentError, UnexpectedResponseError } from "./Errors.js"
import type { EntraAssignment } from "./Models.js"

/** The default bound on the pages one listing follows. */
const defaultMaxPages = 1000

/**
 * Options of a listing.
 *
 * @since 0.1.0
 * @category models
 */
export interface ListOptions {
  /** The most pages to follow (default 1000); a listing with more fails when it reaches them. */
  readonly maxPages?: number | undefined
}

/**
 * Every assignment, the first page fetched when the stream is first pulled and each next one only
 * when the stream needs it (`Stream.take` fetches no more pages than it takes from). Each run of
 * the stream starts again from the first page, with a fresh page count and set of seen tokens.
 *
 * @since 0.1.0
 * @category constructors
 * @example
 * ```ts
 * import { CommunicationIdentityClient } from "@acs-identity/sdk"
 * import * as EntraAssignments from "@acs-identity/sdk/EntraAssignments"
 * import { Effect, Stream } from "effect"
 *
 * const objectIds = Effect.gen(function*() {
 *   const client = yield* CommunicationIdentityClient
 *   return yield* EntraAssignments.stream(client).pipe(
 *     Stream.map((assignment) => assignment.objectId),
 *     Stream.runCollect
 *   )
 * })
 * ```
 */
export const stream = (
  client: Pick<Service, "listEntraAssignmentsPage">,
  options?: ListOptions
): Stream.Stream<EntraAssignment, AssignmentWriteError> => {
  const maxPages = options?.maxPages ?? defaultMaxPages
  if (!Number.isSafeInteger(maxPages) || maxPages < 1) {
    return Stream.fail(
      new InvalidArgumentError({ argument: "maxPages", message: "maxPages must be a whole number from 1" })
    )
  }
  return Stream.suspend(() => {
    // The empty token stands for the first page: a link back to it is a cycle too.
    const seen = new Set<string>([""])
    let pages = 0
    return Stream.paginateChunkEffect(
      undefined as string | undefined,
      (token): Effect.Effect<
        readonly [Chunk.Chunk<EntraAssignment>, Option.Option<string>],
        AssignmentWriteError
      > => {
        if (pages >= maxPages) {
          return Effect.fail(
            new UnexpectedResponseError({
              status: 200,
              message: `the listing has more than ${maxPages} pages (maxPages); it was not followed further`
            })
          )
        }
        pages++
        return Effect.flatMap(client.listEntraAssignmentsPage(token), (page) => {
          const next = page.continuationToken
          if (next !== undefined && seen.has(next)) {
            return Effect.fail(
              new UnexpectedResponseError({
                status: 200,
                message: `the nextLink ${JSON.stringify(next)} was followed before (the pages form a cycle)`
              })
            )
          }
          if (next !== undefined) seen.add(next)
          return Effect.succeed([
            Chunk.fromIterable(page.assignments),
            next === undefined ? Option.none() : Option.some(next)
          ])
        })
      }
    )
  })
}
