/** The two token exchanges authenticated by the end user's Entra token, shared by the client and `TokenExchange`. */
import type * as Effect from "effect/Effect"
import * as Effect_ from "effect/Effect"
import type { ApiVersion } from "../ApiVersion.js"
import type { TokenExchangeError } from "../Errors.js"
import { type EntraToken, ExchangedToken } from "../Models.js"
import { entraToken } from "./arguments.js"
import { type Invoke, operation } from "./pipeline.js"

/** Exchanges the user's Entra token (sent as the bearer, never anywhere else) through `id`. */
export const exchange = (
  invoke: Invoke,
  apiVersion: ApiVersion,
  id: "exchangeTeamsExtensionAccessToken" | "exchangeEntraAccessToken"
) =>
(token: EntraToken): Effect.Effect<ExchangedToken, TokenExchangeError> =>
  operation(
    apiVersion,
    id,
    (trace) =>
      Effect_.flatMap(entraToken(token), (bearer) => invoke(id, { body: {}, bearer, trace })).pipe(
        Effect_.map(({ value }) =>
          new ExchangedToken({
            user: { communicationUserId: value.identity.id },
            token: value.accessToken.token,
            expiresOn: value.accessToken.expiresOn
          })
        )
      )
  )
