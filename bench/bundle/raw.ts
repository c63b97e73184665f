/** Bundle-size program: the raw floor client creates a user and gets a token. */
import { make } from "../clients/raw.js"

const client = await make(String(Reflect.get(globalThis, "ACS_ENDPOINT")))
console.log(await client.createUserAndToken(), await client.getToken())
await client.close()
