/**
 * The loopback stub: a `node:http` server with keep-alive that answers every request with a canned,
 * valid response and checks nothing. Run as its own process; prints `{"port":N}` on stdout.
 */
import * as Http from "node:http"
import { createBody, tokenBody } from "./config.js"

const token = Buffer.from(tokenBody)
const created = Buffer.from(createBody)

const server = Http.createServer({ keepAlive: true }, (request, response) => {
  request.resume()
  request.on("end", () => {
    const url = request.url ?? ""
    if (url.includes(":issueAccessToken")) {
      response.writeHead(200, { "content-type": "application/json", "content-length": token.length })
      response.end(token)
    } else if (request.method === "POST" && url.startsWith("/identities?")) {
      response.writeHead(201, { "content-type": "application/json", "content-length": created.length })
      response.end(created)
    } else {
      response.writeHead(204)
      response.end()
    }
  })
})
server.keepAliveTimeout = 120_000
server.headersTimeout = 130_000
server.maxRequestsPerSocket = 0

server.listen(0, "127.0.0.1", () => {
  const address = server.address()
  if (address !== null && typeof address === "object") {
    process.stdout.write(`${JSON.stringify({ port: address.port })}\n`)
  }
})
process.on("SIGTERM", () => server.close(() => process.exit(0)))
process.on("disconnect", () => process.exit(0))
