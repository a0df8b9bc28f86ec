// Preloaded into every embedded Prism: `node --import <this file> …/prism-cli/dist/index.js mock …`.
import { Server, ServerResponse } from 'node:http';

// 1. Readiness. Above `--verboseLevel info` Prism prints nothing once it listens; say so on stderr, from the
//    process itself, so that the kit never mistakes another server on the port for its Prism.
const listen = Server.prototype.listen;
Server.prototype.listen = function announcingListen(...args) {
  this.once('listening', () => {
    const address = this.address();
    process.stderr.write(`azconform: Prism listening on port ${typeof address === 'object' && address ? address.port : String(address)}\n`);
  });
  return listen.apply(this, args);
};

// 2. No Prism outlives the kit. The kit starts Prism with stdin a pipe from itself (and says so in the
//    environment); Prism never reads stdin, so its end means the kit is gone, however it ended (a crash, SIGKILL,
//    a signal it did not handle), and Prism goes with it instead of serving on as an orphan.
if (process.env.AZCONFORM_PRISM_PARENT_PIPE === '1') {
  process.stdin.on('end', () => process.exit(0));
  process.stdin.on('error', () => process.exit(0));
  process.stdin.resume();
}

// 3. One bug of Prism 5.14 that takes the whole mock down. Prism reports a request's validation errors in an
//    `sl-violations` response header, the JSON of the errors (prism-http-server addViolationHeader). A message
//    quoting a request property name outside Latin-1 (a negative case with the key "P级", say) makes Node's
//    setHeader throw "Invalid character in header content"; Prism does not catch it, the rejection is unhandled
//    and the process exits, so every later request of every operation it serves is refused. Here the value stays
//    valid JSON of the same content: every character outside printable ASCII is written as a \uXXXX escape
//    (JSON.stringify has already escaped control characters, and others only occur inside JSON strings), and an
//    over-long value is truncated as Prism truncates one. The answer is the one Prism meant to send.
const MAX_SAFE_HEADER_LENGTH = 8 * 1024 - 100; // as prism-http-server
const setHeader = ServerResponse.prototype.setHeader;
ServerResponse.prototype.setHeader = function guardedSetHeader(name, value) {
  if (typeof name === 'string' && name.toLowerCase() === 'sl-violations' && typeof value === 'string' && /[^\x20-\x7e]/.test(value)) {
    let escaped = value.replace(/[^\x20-\x7e]/g, (c) => `\\u${c.charCodeAt(0).toString(16).padStart(4, '0')}`);
    if (escaped.length > MAX_SAFE_HEADER_LENGTH) escaped = `Too many violations! ${escaped.substring(0, MAX_SAFE_HEADER_LENGTH)}`;
    return setHeader.call(this, name, escaped);
  }
  return setHeader.call(this, name, value);
};
