/**
 * On WhatsApp the chat id is a phone number: a whole report on WhatsApp Web (with a picture,
 * delivered to the office group, taken up by an officer, a stranger refused, a page restart) at
 * debug level leaves no phone number in the logs.
 */
import { Writable } from "node:stream";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { createLogger } from "../../src/log.js";
import { jpegBytes } from "../support/sample-files.js";
import {
  FakeWhatsAppNetwork,
  fileTipOnWhatsApp,
  startWhatsAppApp,
  type WhatsAppTestApp,
} from "../support/whatsapp-fake-client.js";

const GROUP = "120363044444444444@g.us";
const REPORTER = "6281377788899@c.us";
const OFFICER = "6281355566677@c.us";
const STRANGER = "6281311122233@c.us";

describe("privacy in WhatsApp Web logs", () => {
  let t: WhatsAppTestApp;
  const lines: string[] = [];

  beforeAll(async () => {
    const destination = new Writable({
      write(chunk, _enc, done) {
        lines.push(String(chunk));
        done();
      },
    });
    t = await startWhatsAppApp(
      "pglite",
      {},
      new FakeWhatsAppNetwork(),
      createLogger({ level: "debug", destination }),
    );
    await t.app.services.directory.addDestination("18.72", "whatsapp", GROUP, { actor: "test" });
  }, 60_000);
  afterAll(async () => {
    await t?.close();
  });

  it("no phone number of a reporter or an officer appears in any log line", async () => {
    const { network, app } = t;
    const { code } = await app.officers.invites.create("18.72", { actor: "test" });
    network.text(OFFICER, `/petugas ${code}`);
    await network.waitFor(OFFICER, /terdaftar sebagai petugas/);
    const number = await fileTipOnWhatsApp(network, REPORTER, {
      file: { type: "image", mimetype: "image/jpeg", bytes: jpegBytes("jpeg ".repeat(100)) },
    });
    const card = await network.waitFor(GROUP, (s) => s.text.includes(number));
    network.groupText(GROUP, STRANGER, "1", card);
    await network.waitFor(GROUP, /hanya petugas/);
    network.groupText(GROUP, OFFICER, "1", card);
    await network.waitFor(REPORTER, /sedang menindaklanjuti/);
    network.current.dead = true;
    await new Promise<void>((resolve, reject) => {
      const deadline = Date.now() + 15_000;
      const poll = () =>
        network.clients.length > 1 && app.whatsapp!.status().state === "ready"
          ? resolve()
          : Date.now() > deadline
            ? reject(new Error("no restart"))
            : setTimeout(poll, 10);
      poll();
    });
    const log = lines.join("");
    expect(log).toContain(number); // lines were captured
    expect(log).toContain("restarting the whatsapp client");
    for (const id of [REPORTER, OFFICER, STRANGER]) {
      const digits = id.replace("@c.us", "");
      expect(log).not.toContain(digits);
      expect(log).not.toContain(digits.slice(2)); // without the country code
    }
  }, 60_000);
});
