/** The two token exchanges authenticated by the end user's Entra token, shared by the client and `TokenExchange`. */
import * as Effect from "effect/Effect"
import type { TokenExchangeError } from "../Errors.js"
import { type EntraToken, ExchangedToken } from "../Models.js"
import { entraToken } from "./arguments.js"
import { type Invoker, notFoundAsServiceError, traced } from "./operation.js"

/** Exchanges the user's Entra token (sent as the bearer, never anywhere else) through `operation`. */
export const exchange = (
  invoker: Invoker,
  operation: "exchangeTeamsExtensionAccessToken" | "exchangeEntraAccessToken",
  method: string
) =>
(token: EntraToken): Effect.Effect<ExchangedToken, TokenExchangeError> =>
  traced(
    method,
    operation,
    (trace) =>
      Effect.flatMap(entraToken(token), (bearer) => invoker.invoke(operation, { body: {}, bearer, trace })).pipe(
        Effect.map(({ value }) =>
          new ExchangedToken({
            user: { communicationUserId: value.identity.id },
            token: value.accessToken.token,
            expiresOn: value.accessToken.expiresOn
          })
        ),
        notFoundAsServiceError
      )
  )
