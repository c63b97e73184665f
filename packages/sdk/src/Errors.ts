/**
 * Every failure an identity operation can produce, as `Schema.TaggedError` classes, and the
 * per-operation unions that name exactly the errors each operation can fail with.
 *
 * No error here ever carries an access key, a token or an `Authorization` header.
 *
 * @since 0.1.0
 */
import * as Schema from "effect/Schema"

/**
 * One error object from the service's error envelope (recursive through `details` and `innerError`).
 *
 * @since 0.1.0
 * @category models
 */
export interface CommunicationErrorDetail {
  readonly code: string
  readonly message: string
  readonly target?: string | undefined
  readonly details?: ReadonlyArray<CommunicationErrorDetail> | undefined
  readonly innerError?: CommunicationErrorDetail | undefined
}

interface CommunicationErrorDetailEncoded {
  readonly code: string
  readonly message: string
  readonly target?: string | undefined
  readonly details?: ReadonlyArray<CommunicationErrorDetailEncoded> | undefined
  readonly innererror?: CommunicationErrorDetailEncoded | undefined
}

/**
 * The service's `CommunicationError`; the wire key `innererror` becomes `innerError`.
 *
 * @since 0.1.0
 * @category models
 */
export const CommunicationErrorDetail: Schema.Schema<CommunicationErrorDetail, CommunicationErrorDetailEncoded> = Schema
  .Struct({
    code: Schema.String,
    message: Schema.String,
    target: Schema.optional(Schema.String),
    details: Schema.optional(Schema.Array(Schema.suspend(() => CommunicationErrorDetail))),
    innerError: Schema.optional(Schema.suspend(() => CommunicationErrorDetail)).pipe(Schema.fromKey("innererror"))
  })

/**
 * The service's error envelope, `{ error: CommunicationError }`.
 *
 * @since 0.1.0
 * @category models
 */
export const CommunicationErrorResponse = Schema.Struct({ error: CommunicationErrorDetail })
/**
 * @see CommunicationErrorResponse
 *
 * @since 0.1.0
 * @category models
 */
export type CommunicationErrorResponse = typeof CommunicationErrorResponse.Type

const serviceFields = {
  /** HTTP status of the response. */
  status: Schema.Number,
  /** The service's error code, e.g. `ValidationError`; `Unknown` when the body carried none. */
  code: Schema.String,
  /** The service's message, or a description of the response when it had no envelope. */
  message: Schema.String,
  /** What the error is about, e.g. `ExpiresInMinutes`. */
  target: Schema.optional(Schema.String),
  /** Nested errors from the envelope. */
  details: Schema.optional(Schema.Array(CommunicationErrorDetail)),
  /** The inner error from the envelope. */
  innerError: Schema.optional(CommunicationErrorDetail),
  /** The `x-ms-client-request-id` this SDK sent, for correlation with service logs. */
  requestId: Schema.optional(Schema.String)
}

const retryAfter = {
  /** How long the service asked the caller to wait (`Retry-After`, `retry-after-ms`, `x-ms-retry-after-ms`). */
  retryAfter: Schema.optional(Schema.DurationFromSelf)
}

/**
 * An argument was rejected before any request was sent.
 *
 * @since 0.1.0
 * @category errors
 */
export class InvalidArgumentError extends Schema.TaggedError<InvalidArgumentError>()("InvalidArgumentError", {
  /** The name of the offending argument, e.g. `expiresInMinutes`. */
  argument: Schema.String,
  message: Schema.String
}) {}

/**
 * The connection string could not be parsed. The message never repeats the access key.
 *
 * @since 0.1.0
 * @category errors
 */
export class InvalidConnectionStringError
  extends Schema.TaggedError<InvalidConnectionStringError>()("InvalidConnectionStringError", {
    message: Schema.String
  })
{}

/**
 * The credential could not produce a signature or token (e.g. the Entra token source failed).
 *
 * @since 0.1.0
 * @category errors
 */
export class CredentialError extends Schema.TaggedError<CredentialError>()("CredentialError", {
  message: Schema.String,
  cause: Schema.optional(Schema.Defect)
}) {}

/**
 * 400: the service rejected the request, e.g. `ValidationError` with target `ExpiresInMinutes`.
 *
 * @since 0.1.0
 * @category errors
 */
export class BadRequestError extends Schema.TaggedError<BadRequestError>()("BadRequestError", serviceFields) {}

/**
 * 401: the signature or token was refused, or (as the service does) the user is not of this resource.
 *
 * @since 0.1.0
 * @category errors
 */
export class AuthenticationError
  extends Schema.TaggedError<AuthenticationError>()("AuthenticationError", serviceFields)
{}

/**
 * 403: the caller is authenticated but not allowed to do this.
 *
 * @since 0.1.0
 * @category errors
 */
export class AuthorizationError extends Schema.TaggedError<AuthorizationError>()("AuthorizationError", serviceFields) {}

/**
 * 404: the identity does not exist.
 *
 * @since 0.1.0
 * @category errors
 */
export class NotFoundError extends Schema.TaggedError<NotFoundError>()("NotFoundError", serviceFields) {}

/**
 * 429: the service is throttling the caller; `retryAfter` says for how long when it said so.
 *
 * @since 0.1.0
 * @category errors
 */
export class ThrottledError extends Schema.TaggedError<ThrottledError>()("ThrottledError", {
  ...serviceFields,
  ...retryAfter
}) {}

/**
 * Any other non-success status (5xx, 409, …).
 *
 * @since 0.1.0
 * @category errors
 */
export class ServiceError extends Schema.TaggedError<ServiceError>()("ServiceError", {
  ...serviceFields,
  ...retryAfter
}) {}

/**
 * Why a request did not complete: `Network` (refused, reset, DNS, a body that broke off), `Timeout`
 * (the attempt or the call ran out of time), `Encode` (the request could not be written) or
 * `InvalidUrl` (the URL could not be built). Only `Network` and `Timeout` are retried.
 *
 * @since 0.1.0
 * @category errors
 */
export const TransportErrorReason = Schema.Literal("Network", "Timeout", "Encode", "InvalidUrl")
/**
 * @since 0.1.0
 * @category errors
 */
export type TransportErrorReason = typeof TransportErrorReason.Type

/**
 * The request did not complete: connection refused or reset, DNS failure, a timeout, or a request
 * that could not be encoded. `cause` is a sanitized copy of the underlying error (name, code and
 * message with every credential cut out), never the platform's request or response object.
 *
 * @since 0.1.0
 * @category errors
 */
export class TransportError extends Schema.TaggedError<TransportError>()("TransportError", {
  reason: TransportErrorReason,
  message: Schema.String,
  requestId: Schema.optional(Schema.String),
  cause: Schema.optional(Schema.Defect)
}) {}

/**
 * A success status whose body is not what the service documents (empty, not JSON, wrong shape, too large).
 *
 * @since 0.1.0
 * @category errors
 */
export class UnexpectedResponseError extends Schema.TaggedError<UnexpectedResponseError>()("UnexpectedResponseError", {
  status: Schema.Number,
  message: Schema.String,
  requestId: Schema.optional(Schema.String)
}) {}

/**
 * Errors every request to the service can end in.
 *
 * @since 0.1.0
 * @category errors
 */
export type RequestError =
  | CredentialError
  | BadRequestError
  | AuthenticationError
  | AuthorizationError
  | ThrottledError
  | ServiceError
  | TransportError
  | UnexpectedResponseError

/**
 * Errors of `createUser` and `createUserAndToken`.
 *
 * @since 0.1.0
 * @category errors
 */
export type CreateUserError = InvalidArgumentError | RequestError

/**
 * Errors of operations on an existing user: `getToken`, `revokeTokens`, `deleteUser`, `getUser`.
 *
 * @since 0.1.0
 * @category errors
 */
export type UserOperationError = InvalidArgumentError | NotFoundError | RequestError

/**
 * Errors of `getTokenForTeamsUser`.
 *
 * @since 0.1.0
 * @category errors
 */
export type TeamsTokenError = InvalidArgumentError | RequestError

/**
 * Errors of the two token exchanges authenticated by the user's Entra token
 * (`getTokenForTeamsExtensionUser`, `getTokenForEntraUser`): 401 for a token the service refuses,
 * 403 when no assignment lets the user (or its application) in.
 *
 * @since 0.1.0
 * @category errors
 */
export type TokenExchangeError = InvalidArgumentError | RequestError

/**
 * Errors of reading or deleting one assignment (Teams Phone extension or Entra ID): 404 when it does not exist.
 *
 * @since 0.1.0
 * @category errors
 */
export type AssignmentError = InvalidArgumentError | NotFoundError | RequestError

/**
 * Errors of creating, replacing, listing or bulk-updating assignments.
 *
 * @since 0.1.0
 * @category errors
 */
export type AssignmentWriteError = InvalidArgumentError | RequestError

/**
 * Every error the client can produce.
 *
 * @since 0.1.0
 * @category errors
 */
export type CommunicationIdentityError = UserOperationError

/**
 * Errors worth retrying: throttling, transient 5xx and 408, and network failures and timeouts (not
 * requests that could not be encoded or addressed, which no retry can fix).
 *
 * @since 0.1.0
 * @category errors
 */
export const isRetryable = (error: CommunicationIdentityError): boolean => {
  switch (error._tag) {
    case "ThrottledError":
      return true
    case "TransportError":
      return error.reason === "Network" || error.reason === "Timeout"
    case "ServiceError":
      return [408, 500, 502, 503, 504].includes(error.status)
    default:
      return false
  }
}
