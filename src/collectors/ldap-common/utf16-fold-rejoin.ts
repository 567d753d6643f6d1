// ldifde folds long lines at a fixed column counted in UTF-16 code units, so a fold can fall
// between the two halves of a surrogate pair (an emoji, a CJK extension character): the high
// half ends one physical line and the low half follows the continuation's space. The fold is a
// transport artifact, but a UTF-16 decoder sees a lone surrogate and must refuse it. This moves
// such a fold one code unit later, after the low half: the pair is whole again, the LDIF reader
// joins the fold to the same logical line, and every line keeps its number for error messages.
// A surrogate split any other way (no fold between the halves) is left for the decoder to refuse.
import type { Utf16Encoding } from "../../io/utf16-transcode.ts";

const unitBytes = 2;
// High half, [CR,] LF, space, low half: five code units at most.
const foldUnits = 5;

/** UTF-16 chunks (byte-order mark first) with every fold between two surrogate halves moved after the pair. */
export async function* rejoinFoldedSurrogates(chunks: AsyncIterable<Uint8Array>, encoding: Utf16Encoding): AsyncGenerator<Buffer> {
  const le = encoding === "utf-16le";
  // LF then space, as the bytes of two code units: where to look for a fold.
  const foldMark = Buffer.from(le ? [0x0a, 0x00, 0x20, 0x00] : [0x00, 0x0a, 0x00, 0x20]);
  const unit = (b: Buffer, i: number) => (le ? b[i] | (b[i + 1] << 8) : (b[i] << 8) | b[i + 1]);
  const isHigh = (u: number) => u >= 0xd800 && u <= 0xdbff;
  const isLow = (u: number) => u >= 0xdc00 && u <= 0xdfff;
  let held = Buffer.alloc(0);
  for await (const chunk of chunks) {
    const bytes = held.length === 0 ? Buffer.from(chunk) : Buffer.concat([held, chunk]);
    // Hold back the last code units a fold could still be cut across, and an odd byte: the
    // buffer always starts on a code unit, so byte offsets tell units apart.
    const whole = bytes.length - (bytes.length % unitBytes);
    const ready = Math.max(0, whole - (foldUnits - 1) * unitBytes);
    rejoin(bytes);
    held = Buffer.from(bytes.subarray(ready));
    if (ready > 0) yield bytes.subarray(0, ready);
  }
  if (held.length > 0) {
    rejoin(held);
    yield held;
  }

  // Moves, in place, each [CR] LF space between a high and a low half after the low half.
  function rejoin(b: Buffer): void {
    for (let at = b.indexOf(foldMark); at >= 0; at = b.indexOf(foldMark, at + unitBytes)) {
      if (at % unitBytes !== 0) continue;
      const low = at + 2 * unitBytes;
      if (low + unitBytes > b.length || !isLow(unit(b, low))) continue;
      const cr = at - unitBytes >= 0 && unit(b, at - unitBytes) === 0x0d;
      const high = at - (cr ? 2 : 1) * unitBytes;
      if (high < 0 || !isHigh(unit(b, high))) continue;
      // [high][fold...][low] -> [high][low][fold...]
      const fold = Buffer.from(b.subarray(high + unitBytes, low));
      b.copy(b, high + unitBytes, low, low + unitBytes);
      fold.copy(b, high + 2 * unitBytes);
    }
  }
}
