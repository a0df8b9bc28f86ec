// Copied verbatim to generated/formats.js by `npm run generate`; the generated validators import it.
// The formats Azure's specs use beyond ajv-formats: unixtime (integer seconds) and base64url (no padding).
import { fullFormats } from 'ajv-formats/dist/formats.js';

export const formats = {
  ...fullFormats,
  unixtime: { type: 'number', validate: (n) => Number.isInteger(n) },
  base64url: /^[A-Za-z0-9_-]*$/,
};
