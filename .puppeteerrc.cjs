/**
 * Puppeteer (used by whatsapp-web.js) must never download a browser of its own: the project uses
 * Debian's Chromium (`apt-get install chromium`, path in WHATSAPP_CHROMIUM_PATH).
 * @type {import("puppeteer").Configuration}
 */
module.exports = { skipDownload: true };
