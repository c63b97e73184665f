/** The bytes of `parts` joined, cut at `limit`: how the callback transports keep a bounded body. */
export const joinBounded = (parts: ReadonlyArray<Uint8Array>, limit: number): Uint8Array => {
  const total = parts.reduce((n, part) => n + part.length, 0)
  if (parts.length === 1 && total <= limit) return parts[0]!
  const bytes = new Uint8Array(Math.min(total, limit))
  let offset = 0
  for (const part of parts) {
    const take = Math.min(part.length, bytes.length - offset)
    bytes.set(part.subarray(0, take), offset)
    offset += take
  }
  return bytes
}
