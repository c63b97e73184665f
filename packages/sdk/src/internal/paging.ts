/**
 * Following pages, bounded: the HTTP client and the in-memory layer page through one function, so
 * both stop at the same bound. A listing follows at most `maxPages` pages (empty ones count too),
 * and a continuation seen before is a cycle: both end the stream with an `UnexpectedResponseError`
 * naming what happened, rather than requesting forever.
 */
import * as Chunk from "effect/Chunk"
import * as Effect from "effect/Effect"
import * as Option from "effect/Option"
import * as Stream from "effect/Stream"
import { InvalidArgumentError, UnexpectedResponseError } from "../Errors.js"

/** The default bound on the pages one listing follows. */
const defaultMaxPages = 1000

/**
 * Options of a listing.
 *
 * @since 0.1.0
 * @category paging
 */
export interface ListOptions {
  /** The most pages to follow (default 1000); a listing with more fails when it reaches them. */
  readonly maxPages?: number | undefined
}

/** One page: its items, and the continuation of the next one (`undefined` on the last). */
export interface Page<A> {
  readonly items: Iterable<A>
  readonly next: string | undefined
}

/**
 * The items of every page from the first (`fetch(undefined)`) on, each fetched only when the
 * stream needs it. A fresh count and set of seen continuations per run of the stream; the empty
 * continuation stands for the first page (a link back to it is a cycle too).
 */
export const paginate = <A, E>(
  fetch: (continuation: string | undefined) => Effect.Effect<Page<A>, E>,
  options?: ListOptions
): Stream.Stream<A, E | InvalidArgumentError | UnexpectedResponseError> => {
  const maxPages = options?.maxPages ?? defaultMaxPages
  if (!Number.isSafeInteger(maxPages) || maxPages < 1) {
    return Stream.fail(
      new InvalidArgumentError({ argument: "maxPages", message: "maxPages must be a whole number from 1" })
    )
  }
  return Stream.suspend(() => {
    const seen = new Set<string>([""])
    let pages = 0
    return Stream.paginateChunkEffect(
      undefined as string | undefined,
      (continuation): Effect.Effect<
        readonly [Chunk.Chunk<A>, Option.Option<string | undefined>],
        E | UnexpectedResponseError
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
        return Effect.flatMap(fetch(continuation), (page) => {
          const next = page.next
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
            Chunk.fromIterable(page.items),
            next === undefined ? Option.none() : Option.some(next)
          ])
        })
      }
    )
  })
}
