// Verifies one received callback with the Standard Webhooks reference implementation (npm `standardwebhooks`):
// node verify.js <whsec_ secret> <headers.json> <body file>. Prints "verified" or why not, and exits 0 or 1.
const { Webhook } = require('standardwebhooks');
const fs = require('fs');
const [secret, headersFile, bodyFile] = process.argv.slice(2);
const headers = JSON.parse(fs.readFileSync(headersFile, 'utf8'));
const body = fs.readFileSync(bodyFile, 'utf8');
try {
  const payload = new Webhook(secret).verify(body, headers);
  console.log('verified ' + payload.type);
} catch (e) {
  console.log('refused: ' + e.message);
  process.exit(1);
}
