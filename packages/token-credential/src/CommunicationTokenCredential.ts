/**
 * The credential a client app uses to keep a valid ACS token for hours: a service whose `token`
 * hands out an `AccessToken`, with a static and a refreshing layer.
 *
 * Rules of the refreshing credential (all driven by the Effect `Clock`, so `TestClock` drives them):
 *
 * - A token's expiry is its explicit `expiresOn`, or the JWT `exp` claim, or, when neither can be
 *   read, the moment it was received plus `undecodableLifetime` (10 minutes by default).
 * - A token is *due* once it is inside the refresh window (`refreshWindow`, 10 minutes by default)
 *   or, for a token whose whole lifetime is shorter than the window, once half of the lifetime it
 *   had when received has passed. A due token is refreshed before it is handed out; an expired
 *   token is never handed out.
 * - Concurrent callers share one refresh. A caller that is interrupted stops waiting; the refresh
 *   goes on for the others.
 * - A refresher that fails, returns an expired token or returns something that is not a token
 *   (`null`, a number, `{ token: "" }`: its output is decoded, never trusted) fails the callers
 *   waiting for it with a `CredentialError` (`RefreshFailed` with the refresher's error as `cause`,
 *   `ExpiredToken` or `InvalidToken`; a refresher failing with a `CredentialError` has it passed on
 *   as it is, and one that dies, e.g. an `Effect.promise` that rejects, is `RefreshFailed` too); the
 *   current token is kept and the next call tries again.
 * - `proactive: true` refreshes in the background when the token becomes due. A refresher that
 *   keeps returning short-lived tokens is thus called after half of each token's remaining lifetime
 *   (fractional backoff), not in a tight loop. A failed background refresh is retried with
 *   `retrySchedule` (exponential from 1 second, jittered, capped at 1 minute) and reported once to
 *   the next caller of `token`, whatever the refresher did, so the background loop lives until the
 *   credential is disposed (or a custom `retrySchedule` gives up; refreshes are then on demand).
 *   Nothing is ever an unhandled rejection or a defect.
 * - Closing the layer's scope stops every timer and background fiber; waiting callers and every
 *   later `token` fail with `Disposed`.
 *
 * @since 0.1.0
 */
import * as Clock from "effect/Clock"
import * as Context from "effect/Context"
import * as Deferred from "effect/Deferred"
import * as Duration from "effect/Duration"
import * as Effect from "effect/Effect"
import * as ExecutionStrategy from "effect/ExecutionStrategy"
import * as Exit from "effect/Exit"
import * as Layer from "effect/Layer"
import * as Option from "effect/Option"
import * as Ref from "effect/Ref"
import * as Schedule from "effect/Schedule"
import * as Scope from "effect/Scope"
import * as SynchronizedRef from "effect/SynchronizedRef"
import { type AccessToken, defaultUndecodableLifetime, toAccessToken, type TokenInput } from "./AccessToken.js"
import { CredentialError } from "./CredentialError.js"
import { disposed } from "./internal/disposed.js"

/**
 * What the credential offers: a valid token, or why there is none.
 *
 * @since 0.1.0
 * @category models
 */
export interface Service {
  readonly token: Effect.Effect<AccessToken, CredentialError>
}

/**
 * The credential service.
 *
 * @since 0.1.0
 * @category tags
 */
export class CommunicationTokenCredential extends Context.Tag(
  "@acs-identity/token-credential/CommunicationTokenCredential"
)<CommunicationTokenCredential, Service>() {}

/**
 * How long before expiry a token is refreshed: 10 minutes, as in the official credential.
 *
 * @since 0.1.0
 * @category constants
 */
export const defaultRefreshWindow: Duration.Duration = Duration.minutes(10)

/**
 * How a failed background refresh is retried: exponential from 1 second, jittered, capped at
 * 1 minute, for as long as the credential lives.
 *
 * @since 0.1.0
 * @category constants
 */
export const defaultRetrySchedule: Schedule.Schedule<unknown, CredentialError> = Schedule.exponential("1 second")
  .pipe(Schedule.jittered, Schedule.union(Schedule.spaced("1 minute")))

/**
 * Options of the static credential.
 *
 * @since 0.1.0
 * @category models
 */
export interface StaticOptions {
  /** The assumed lifetime of a token whose expiry cannot be read. */
  readonly undecodableLifetime?: Duration.DurationInput
}

/**
 * Options of the refreshing credential.
 *
 * @since 0.1.0
 * @category models
 */
export interface RefreshingOptions<E, R> extends StaticOptions {
  /** Produces a new token: a token string or a token with an explicit expiry. */
  readonly refresh: Effect.Effect<TokenInput, E, R>
  /** A token to start with; without one the first `token` call refreshes. */
  readonly initialToken?: TokenInput
  /** Refresh in the background ahead of expiry (default `false`: refresh when a caller asks). */
  readonly proactive?: boolean
  /** How long before expiry a token is due (default 10 minutes). */
  readonly refreshWindow?: Duration.DurationInput
  /** How a failed background refresh is retried (default `defaultRetrySchedule`). */
  readonly retrySchedule?: Schedule.Schedule<unknown, CredentialError>
}

const expired = (message: string) => new CredentialError({ reason: "ExpiredToken", message })

/**
 * A credential that always hands out the same token, until it expires (then `ExpiredToken`).
 *
 * @since 0.1.0
 * @category constructors
 */
export const makeStatic = (
  input: TokenInput,
  options: StaticOptions = {}
): Effect.Effect<Service, CredentialError, Scope.Scope> =>
  Effect.gen(function*() {
    const now = yield* Clock.currentTimeMillis
    const token = yield* toAccessToken(input, now, options.undecodableLifetime ?? defaultUndecodableLifetime)
    const closed = yield* Ref.make(false)
    yield* Effect.addFinalizer(() => Ref.set(closed, true))
    return CommunicationTokenCredential.of({
      token: Effect.gen(function*() {
        if (yield* Ref.get(closed)) return yield* disposed()
        if ((yield* Clock.currentTimeMillis) >= token.expiresOn.getTime()) {
          return yield* expired("the static token has expired")
        }
        return token
      })
    })
  })

/** A token with the moment it becomes due. */
interface Held {
  readonly token: AccessToken
  readonly dueAt: number
}

interface State {
  readonly held: Option.Option<Held>
  readonly inflight: Option.Option<Deferred.Deferred<Held, CredentialError>>
  /** A background refresh failure not yet reported to a caller. */
  readonly unreported: Option.Option<CredentialError>
  readonly closed: boolean
}

const hold = (token: AccessToken, receivedAt: number, window: number): Held => {
  const expiresAt = token.expiresOn.getTime()
  return { token, dueAt: expiresAt - Math.min(window, Math.max(0, expiresAt - receivedAt) / 2) }
}

/**
 * A credential that refreshes its token through `refresh` by the rules in this module's header.
 *
 * @since 0.1.0
 * @category constructors
 */
export const makeRefreshing = <E, R>(
  options: RefreshingOptions<E, R>
): Effect.Effect<Service, CredentialError, R | Scope.Scope> =>
  Effect.gen(function*() {
    const window = Duration.toMillis(options.refreshWindow ?? defaultRefreshWindow)
    const undecodable = options.undecodableLifetime ?? defaultUndecodableLifetime
    const context = yield* Effect.context<R>()
    const scope = yield* Effect.scope
    const start = yield* Clock.currentTimeMillis
    const initial = options.initialToken === undefined
      ? Option.none()
      : Option.some(hold(yield* toAccessToken(options.initialToken, start, undecodable), start, window))
    const state = yield* SynchronizedRef.make<State>({
      held: initial,
      inflight: Option.none(),
      unreported: Option.none(),
      closed: false
    })
    // Refreshes and the background loop run in a child scope closed after the finalizer below has
    // failed the waiting callers with `Disposed` (finalizers run in reverse order).
    const fibers = yield* Scope.fork(scope, ExecutionStrategy.sequential)
    yield* Effect.addFinalizer(() =>
      SynchronizedRef.updateEffect(state, (s) =>
        Effect.as(
          Option.match(s.inflight, { onNone: () => Effect.void, onSome: (d) => Deferred.fail(d, disposed()) }),
          { ...s, closed: true, inflight: Option.none() }
        ))
    )

    // Fails with a `CredentialError` whatever the refresher does: fails, dies, or returns a non-token.
    const runRefresh = Effect.gen(function*() {
      const input = yield* options.refresh.pipe(
        Effect.provide(context),
        Effect.mapError((cause) =>
          cause instanceof CredentialError
            ? cause
            : new CredentialError({ reason: "RefreshFailed", message: "the token refresher failed", cause })
        )
      )
      const now = yield* Clock.currentTimeMillis
      const token = yield* toAccessToken(input, now, undecodable)
      if (token.expiresOn.getTime() <= now) return yield* expired("the refresher returned an expired token")
      return hold(token, now, window)
    }).pipe(
      Effect.catchAllDefect((cause) =>
        Effect.fail(new CredentialError({ reason: "RefreshFailed", message: "the token refresher died", cause }))
      ),
      // A log record per refresh: when the new token expires, or why there is none (never the token).
      Effect.tapBoth({
        onSuccess: (held) =>
          Effect.logDebug("refreshed the communication token").pipe(
            Effect.annotateLogs({ expiresOn: held.token.expiresOn.toISOString() })
          ),
        onFailure: (error) =>
          Effect.logWarning("the communication token refresh failed").pipe(
            Effect.annotateLogs({ reason: error.reason, error: error.message })
          )
      }),
      Effect.withSpan("CommunicationTokenCredential.refresh"),
      Effect.onExit((exit) =>
        SynchronizedRef.update(state, (s) => ({
          ...s,
          inflight: Option.none(),
          ...(Exit.isSuccess(exit) ? { held: Option.some(exit.value), unreported: Option.none() } : {})
        }))
      )
    )

    /** Joins the refresh in flight, or starts one. */
    const refreshShared = (s: State): Effect.Effect<readonly [Effect.Effect<Held, CredentialError>, State]> =>
      Option.match(s.inflight, {
        onSome: (d) => Effect.succeed([Deferred.await(d), s] as const),
        onNone: () =>
          Effect.gen(function*() {
            const d = yield* Deferred.make<Held, CredentialError>()
            yield* runRefresh.pipe(Effect.intoDeferred(d), Effect.forkIn(fibers))
            return [Deferred.await(d), { ...s, inflight: Option.some(d) }] as const
          })
      })

    const token: Effect.Effect<AccessToken, CredentialError> = Effect.flatten(
      Effect.flatMap(Clock.currentTimeMillis, (now) =>
        SynchronizedRef.modifyEffect(state, (s) => {
          if (s.closed) return Effect.succeed([Effect.fail(disposed()), s] as const)
          if (Option.isSome(s.unreported)) {
            return Effect.succeed([Effect.fail(s.unreported.value), { ...s, unreported: Option.none() }] as const)
          }
          if (Option.isSome(s.held) && now < s.held.value.dueAt) {
            return Effect.succeed([Effect.succeed(s.held.value), s] as const)
          }
          return refreshShared(s)
        }))
    ).pipe(Effect.map((held) => held.token))

    if (options.proactive === true) {
      const backgroundRefresh = SynchronizedRef.modifyEffect(state, (s) =>
        s.closed ? Effect.succeed([Effect.fail(disposed()), s] as const) : refreshShared(s)).pipe(
          Effect.flatten,
          Effect.tapError((error) =>
            SynchronizedRef.update(state, (s) => ({ ...s, unreported: Option.some(error) }))
          ),
          Effect.retry({
            schedule: options.retrySchedule ?? defaultRetrySchedule,
            while: (error) => error.reason !== "Disposed"
          })
        )
      // Sleep until the current token is due (an on-demand refresh may have moved that), then refresh.
      const step = Effect.gen(function*() {
        const now = yield* Clock.currentTimeMillis
        const s = yield* SynchronizedRef.get(state)
        const wait = Option.match(s.held, { onNone: () => 0, onSome: (held) => held.dueAt - now })
        if (wait > 0) return yield* Effect.sleep(Duration.millis(wait))
        yield* backgroundRefresh
      })
      yield* Effect.forever(step).pipe(Effect.ignore, Effect.forkIn(fibers))
    }

    return CommunicationTokenCredential.of({ token })
  })

/**
 * The static credential as a layer.
 *
 * @since 0.1.0
 * @category layers
 */
export const layerStatic = (
  token: TokenInput,
  options?: StaticOptions
): Layer.Layer<CommunicationTokenCredential, CredentialError> =>
  Layer.scoped(CommunicationTokenCredential, makeStatic(token, options))

/**
 * The refreshing credential as a layer; closing the layer's scope disposes it.
 *
 * @since 0.1.0
 * @category layers
 */
export const layerRefreshing = <E, R>(
  options: RefreshingOptions<E, R>
): Layer.Layer<CommunicationTokenCredential, CredentialError, Exclude<R, Scope.Scope>> =>
  Layer.scoped(CommunicationTokenCredential, makeRefreshing(options))
