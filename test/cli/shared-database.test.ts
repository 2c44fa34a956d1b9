/**
 * The embedded database shared safely (issue 15 §1): the real program (`src/main.ts`, a child
 * process on PGlite with Telegram pointed at the Bot API stand-in) holds DATA_DIR and serves its
 * database on DATA_DIR/.s.PGSQL.5432; every admin command that writes goes through it and the
 * program sees the change at once; a second program on the same DATA_DIR is refused with a message
 * naming the folder and the running process; `/healthz` and `/readyz` answer, and SIGTERM stops the
 * program cleanly (socket and lock removed).
 */
import { spawn } from "node:child_process";
import { existsSync, mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { runAdmin } from "../support/admin-cli.js";
import { type BotApiStub, startBotApiStub } from "../support/bot-api-stub.js";
import { fileTipOnTelegram } from "../support/telegram-citizen.js";

const TOKEN = "737373:TEST-token-for-the-shared-database";

/** Starts `src/main.ts` as `npm start` would, on `dataDir`; resolves when it logged `pattern`. */
function startProgram(env: Record<string, string>) {
  const child = spawn(process.execPath, ["--import", "tsx", "src/main.ts"], {
    env: { ...process.env, DATABASE_URL: "", LOG_LEVEL: "info", HOST: "127.0.0.1", PORT: "0", ...env },
    stdio: ["ignore", "pipe", "pipe"],
  });
  let out = "";
  let err = "";
  child.stdout!.on("data", (d) => (out += d));
  child.stderr!.on("data", (d) => (err += d));
  const closed = new Promise<number | null>((r) => child.once("close", (code) => r(code)));
  const started = new Promise<void>((resolve, reject) => {
    child.stdout!.on("data", () => {
      if (/embedded database served/.test(out)) resolve();
    });
    closed.then((code) => reject(new Error(`the program ended (${code}): ${err}`)));
  });
  started.catch(() => {});
  return { child, out: () => out, err: () => err, closed, started };
}

describe("the admin command line while the program runs on PGlite", () => {
  let stub: BotApiStub;
  let dataDir: string;
  let program: ReturnType<typeof startProgram>;
  let web: string;
  const admin = async (...args: string[]) => {
    const r = await runAdmin(dataDir, args);
    expect(r.code, r.stderr).toBe(0);
    return r.stdout;
  };

  beforeAll(async () => {
    stub = await startBotApiStub({ token: TOKEN });
    dataDir = mkdtempSync(join(tmpdir(), "lapor-shared-"));
    program = startProgram({
      DATA_DIR: dataDir,
      TELEGRAM_BOT_TOKEN: TOKEN,
      TELEGRAM_API_ROOT: stub.apiRoot,
      DELIVERY_POLL_MS: "100",
      BROADCAST_POLL_MS: "100",
    });
    await program.started;
    web = JSON.parse(
      program
        .out()
        .split("\n")
        .find((l) => l.includes("web simulator listening"))!,
    ).url;
  }, 120_000);
  afterAll(async () => {
    program?.child.kill("SIGKILL");
    await stub?.close();
    rmSync(dataDir, { recursive: true, force: true });
  });

  it("a second program on the same DATA_DIR stops at once, naming the folder and the process", async () => {
    const second = startProgram({ DATA_DIR: dataDir, WEB_SIMULATOR: "false" });
    expect(await second.closed).toBe(1);
    expect(second.err()).toMatch(
      new RegExp(
        `could not start: the embedded database in ${dataDir} is in use by the running LaporNetral program \\(pid ${program.child.pid},`,
      ),
    );
    // The first one is unharmed.
    expect(existsSync(join(dataDir, ".s.PGSQL.5432"))).toBe(true);
    const ready = await fetch(`${web}/readyz`);
    expect(ready.status).toBe(200);
    expect(await ready.json()).toMatchObject({ ready: true, channels: ["telegram", "web"] });
    expect(await (await fetch(`${web}/healthz`)).json()).toMatchObject({ ok: true });
  }, 120_000);

  it("invite, destinations add and offices import take effect in the running program at once", async () => {
    const invite = JSON.parse(await admin("officers", "invite", "18.72", "--uses", "2", "--json")) as {
      code: string;
    };
    const officer = stub.user("Petugas");
    const linked = stub.group({ type: "supergroup", title: "Petugas Bawaslu Kota Metro" });
    stub.sendCommand(officer, `/petugas ${invite.code}`, { chat: linked });
    await stub.waitForMessage(linked.id, {
      fromStart: true,
      timeoutMs: 20_000,
      match: (m) => /Grup ini sekarang menerima laporan untuk Bawaslu Kota Metro/.test(m.text ?? ""),
    });

    const added = stub.group({ type: "supergroup", title: "Grup kedua" });
    await admin("destinations", "add", "18.72", "telegram", String(added.id), "--label", "kedua");
    const imported = stub.group({ type: "supergroup", title: "Grup dari CSV" });
    const csv = join(dataDir, "offices.csv");
    writeFileSync(csv, `office,phone,telegram\n18.72,0725 41234,${imported.id}\n`);
    expect(await admin("offices", "import", csv)).toMatch(/imported 1 rows/);
    const shown = JSON.parse(await admin("offices", "show", "18.72", "--json")) as {
      phone: string;
      destinations: { address: string }[];
    };
    expect(shown.phone).toBe("0725 41234");
    expect(shown.destinations.map((d) => d.address).sort()).toEqual(
      [linked.id, added.id, imported.id].map(String).sort(),
    );

    // A report filed now reaches all three groups: the program routes with what the CLI wrote.
    const number = await fileTipOnTelegram(stub, stub.user("Warga"), {
      category: "hadir_kampanye",
      account: "Kepala dinas hadir di deklarasi paslon memakai kaos partai.",
      timeoutMs: 20_000,
    });
    for (const group of [linked, added, imported])
      await stub.waitForMessage(group.id, {
        fromStart: true,
        timeoutMs: 30_000,
        match: (m) => (m.text ?? "").includes(number),
      });
  }, 180_000);

  it("a failed delivery retried from the command line is delivered by the program", async () => {
    const group = stub.group({ type: "supergroup", title: "Grup yang keluar" });
    await admin("destinations", "add", "18.72", "telegram", String(group.id));
    stub.failChat(group.id, {
      error_code: 403,
      description: "Forbidden: bot was kicked from the supergroup chat",
    });
    const number = await fileTipOnTelegram(stub, stub.user("Warga Bandar"), {
      category: "hadir_kampanye",
      account: "Camat ikut kampanye paslon di lapangan.",
      timeoutMs: 20_000,
    });
    type Failed = { failed: { id: number; reportNumber: string | null }[] };
    let failed: Failed["failed"] = [];
    await expect
      .poll(
        async () => {
          const r = await runAdmin(dataDir, ["deliveries", "failed", "--json"]);
          failed = (JSON.parse(r.stdout) as Failed).failed.filter((j) => j.reportNumber === number);
          return failed.length;
        },
        { timeout: 30_000, interval: 300 },
      )
      .toBeGreaterThan(0);
    stub.failChat(group.id, null);
    expect(stub.sentTo(group.id).filter((m) => (m.text ?? "").includes(number))).toHaveLength(0);
    await admin("deliveries", "retry", String(failed[0]!.id));
    await stub.waitForMessage(group.id, {
      fromStart: true,
      timeoutMs: 30_000,
      match: (m) => (m.text ?? "").includes(number),
    });
  }, 180_000);

  it("a broadcast created and started from the command line is sent by the program", async () => {
    const chat = -100_737;
    const created = JSON.parse(
      await admin(
        "broadcasts",
        "create",
        "--content",
        "fasilitas_negara",
        "--audience",
        `test:telegram:${chat}`,
        "--now",
        "--json",
      ),
    ) as { id: number };
    await admin("broadcasts", "start", String(created.id), "--json");
    const sent = await stub.waitForMessage(chat, { fromStart: true, timeoutMs: 30_000 });
    expect(sent.text ?? "").toMatch(/fasilitas negara/i);
  }, 120_000);

  it("SIGTERM stops the program cleanly: not ready any more, socket and lock removed, exit 0", async () => {
    program.child.kill("SIGTERM");
    expect(await program.closed).toBe(0);
    expect(program.out()).toMatch(/"msg":"stopped"/);
    expect(existsSync(join(dataDir, ".s.PGSQL.5432"))).toBe(false);
    expect(existsSync(join(dataDir, "pglite.lock"))).toBe(false);
    // With no program running, the command line opens the folder itself and sees everything.
    const shown = JSON.parse(await admin("offices", "show", "18.72", "--json")) as {
      destinations: unknown[];
    };
    expect(shown.destinations).toHaveLength(4);
  }, 120_000);
});
