/** Bundle-size program: the official client creates a user and gets a token. */
import { CommunicationIdentityClient } from "@azure/communication-identity"

const client = new CommunicationIdentityClient(String(Reflect.get(globalThis, "ACS_CONNECTION")))
const user = await client.createUser()
const token = await client.getToken(user, ["chat"], { tokenExpiresInMinutes: 60 })
console.log(user.communicationUserId, token.expiresOn)
