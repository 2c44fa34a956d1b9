/**
 * Small files whose real type can be read from their bytes (as `file-type` does at intake): a
 * test that sends "a photo" sends bytes that are a photo. `fill` makes each file unique (its
 * SHA-256) and gives it the size a test needs.
 */

function withFill(head: Uint8Array, fill: string | number, tail: Uint8Array = new Uint8Array()): Buffer {
  const body = typeof fill === "number" ? Buffer.alloc(fill, 0x20) : Buffer.from(fill);
  return Buffer.concat([head, body, tail]);
}

/** A JPEG: SOI, a JFIF APP0 segment, then `fill`. */
export function jpegBytes(fill: string | number = "jpeg"): Buffer {
  return withFill(
    Buffer.from([
      0xff, 0xd8, 0xff, 0xe0, 0x00, 0x10, 0x4a, 0x46, 0x49, 0x46, 0x00, 0x01, 0x01, 0x00, 0x00, 0x01, 0x00,
      0x01, 0x00, 0x00,
    ]),
    fill,
    Buffer.from([0xff, 0xd9]),
  );
}

/** A PNG: the signature and an IHDR chunk, then `fill`. */
export function pngBytes(fill: string | number = "png"): Buffer {
  const sig = Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]);
  const ihdr = Buffer.from([
    0x00, 0x00, 0x00, 0x0d, 0x49, 0x48, 0x44, 0x52, 0x00, 0x00, 0x00, 0x01, 0x00, 0x00, 0x00, 0x01, 0x08,
    0x06, 0x00, 0x00, 0x00, 0x1f, 0x15, 0xc4, 0x89,
  ]);
  return withFill(Buffer.concat([sig, ihdr]), fill);
}

/** A PDF: its header, `fill`, and its end marker. */
export function pdfBytes(fill: string | number = "surat"): Buffer {
  return withFill(Buffer.from("%PDF-1.4\n"), fill, Buffer.from("\n%%EOF\n"));
}

/** An Ogg Opus voice note header, then `fill`. */
export function oggBytes(fill: string | number = "voice"): Buffer {
  const page = Buffer.alloc(47);
  page.write("OggS", 0, "latin1");
  page[4] = 0; // version
  page[5] = 2; // beginning of stream
  page[26] = 1; // one segment
  page[27] = 19; // of 19 bytes
  page.write("OpusHead", 28, "latin1");
  page[36] = 1; // version
  page[37] = 1; // channels
  return withFill(page, fill);
}

/** An MP4 (ISO base media, brand isom), then `fill`. */
export function mp4Bytes(fill: string | number = "video"): Buffer {
  const ftyp = Buffer.alloc(24);
  ftyp.writeUInt32BE(24, 0);
  ftyp.write("ftypisom", 4, "latin1");
  ftyp.writeUInt32BE(0x200, 12);
  ftyp.write("isomiso2", 16, "latin1");
  return withFill(ftyp, fill);
}

/** A Windows executable (MZ header with a PE signature), then `fill`. */
export function exeBytes(fill: string | number = "program"): Buffer {
  const head = Buffer.alloc(0x80 + 4);
  head.write("MZ", 0, "latin1");
  head.writeUInt32LE(0x80, 0x3c);
  head.write("PE\0\0", 0x80, "latin1");
  return withFill(head, fill);
}

/** An SVG image with a script that tries to read the office inbox. */
export function svgBytes(script = "fetch('/api/inbox')"): Buffer {
  return Buffer.from(
    `<?xml version="1.0" encoding="UTF-8"?>\n<svg xmlns="http://www.w3.org/2000/svg" width="10" height="10"><script>${script}</script><rect width="10" height="10"/></svg>\n`,
  );
}
