import { randomBytes } from "node:crypto";
import { autoRetry } from "@grammyjs/auto-retry";
import { type RunnerHandle, run } from "@grammyjs/runner";
import { Bot, GrammyError, InlineKeyboard, InputFile, InputMediaBuilder } from "grammy";
import { afterEach, describe, expect, it } from "vitest";
import { type BotApiStub, type StubUser, startBotApiStub } from "./bot-api-stub.js";

/** PNG signature + IHDR for a width x height image, followed by random "pixel" bytes. */
function fakePng(width: number, height: number, extra = 256): Buffer {
  const head = Buffer.alloc(24);
  Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]).copy(head, 0);
  head.writeUInt32BE(13, 8);
  head.write("IHDR", 12, "latin1");
  head.writeUInt32BE(width, 16);
  head.writeUInt32BE(height, 20);
  return Buffer.concat([head, randomBytes(extra)]);
}

const cleanups: Array<() => Promise<unknown> | unknown> = [];
afterEach(async () => {
  // stop bots before the stub, in reverse order of creation
  while (cleanups.length > 0) await cleanups.pop()!();
});

async function newStub(opts: Parameters<typeof startBotApiStub>[0] = {}): Promise<BotApiStub> {
  const stub = await startBotApiStub(opts);
  cleanups.push(() => stub.close());
  return stub;
}

function newBot(stub: BotApiStub): Bot {
  const bot = new Bot(stub.token, { client: { apiRoot: stub.apiRoot } });
  bot.catch((err) => {
    throw err.error;
  });
  return bot;
}

/** Starts long polling and resolves once the bot is polling; registers bot.stop() for cleanup. */
async function startPolling(bot: Bot): Promise<void> {
  await new Promise<void>((resolve, reject) => {
    bot.start({ onStart: () => resolve() }).catch(reject);
  });
  cleanups.push(() => bot.stop());
}

const budi: StubUser = { id: 7001, first_name: "Budi", username: "budi_s", language_code: "id" };

function api(stub: BotApiStub, method: string, init?: RequestInit, token = stub.token) {
  return fetch(`${stub.apiRoot}/bot${token}/${method}`, init);
}

describe("bot API stub: protocol", () => {
  it("rejects a wrong token with 401 and an unknown method with 404", async () => {
    const stub = await newStub();
    const r1 = await api(stub, "getMe", undefined, "1:wrong");
    expect(r1.status).toBe(401);
    expect(await r1.json()).toEqual({ ok: false, error_code: 401, description: "Unauthorized" });
    const r2 = await api(stub, "sendTelepathy", { method: "POST" });
    expect(r2.status).toBe(404);
    expect(await r2.json()).toEqual({
      ok: false,
      error_code: 404,
      description: "Not Found: method not found",
    });
    const me = (await (await api(stub, "GETME")).json()) as {
      ok: boolean;
      result: { id: number; is_bot: boolean };
    };
    expect(me.ok).toBe(true);
    expect(me.result).toMatchObject({ id: 123456789, is_bot: true });
  });

  it("decodes query strings, urlencoded bodies and JSON-serialized fields", async () => {
    const stub = await newStub();
    const markup = JSON.stringify({ inline_keyboard: [[{ text: "Ya", callback_data: "yes" }]] });
    const body = new URLSearchParams({ chat_id: "55", text: "123", reply_markup: markup });
    const res = await api(stub, "sendMessage", {
      method: "POST",
      headers: { "content-type": "application/x-www-form-urlencoded" },
      body,
    });
    const json = (await res.json()) as { result: { message_id: number; text: string; chat: { id: number } } };
    expect(json.result).toMatchObject({ message_id: 1, text: "123", chat: { id: 55, type: "private" } });
    const second = await api(stub, "sendMessage?chat_id=55&text=lagi");
    expect(((await second.json()) as { result: { message_id: number } }).result.message_id).toBe(2);
    const [sent] = stub.sentTo(55);
    expect(sent?.reply_markup).toEqual({ inline_keyboard: [[{ text: "Ya", callback_data: "yes" }]] });
    expect(stub.requests[0]?.params.chat_id).toBe(55);
  });

  it("holds getUpdates for `timeout` seconds, answers early on injection and confirms by offset", async () => {
    const stub = await newStub();
    const t0 = Date.now();
    const empty = (await (await api(stub, "getUpdates?timeout=1")).json()) as { result: unknown[] };
    expect(empty.result).toEqual([]);
    expect(Date.now() - t0).toBeGreaterThanOrEqual(950);

    const t1 = Date.now();
    const pending = api(stub, "getUpdates?timeout=10");
    setTimeout(() => stub.sendText(budi, "halo"), 100);
    const got = (await (await pending).json()) as {
      result: Array<{ update_id: number; message: { text: string } }>;
    };
    expect(Date.now() - t1).toBeLessThan(2000);
    expect(got.result).toHaveLength(1);
    expect(got.result[0]?.message.text).toBe("halo");
    // unconfirmed: delivered again
    const again = (await (await api(stub, "getUpdates")).json()) as { result: unknown[] };
    expect(again.result).toHaveLength(1);
    const id = got.result[0]!.update_id;
    const after = (await (await api(stub, `getUpdates?offset=${id + 1}`)).json()) as { result: unknown[] };
    expect(after.result).toEqual([]);
    expect(stub.pendingUpdates).toBe(0);
  });

  it("terminates an older long poll with 409 when a second one arrives", async () => {
    const stub = await newStub();
    const first = api(stub, "getUpdates?timeout=5");
    while (!stub.requests.some((r) => r.method === "getUpdates")) await new Promise((r) => setTimeout(r, 5));
    const second = api(stub, "getUpdates?timeout=0");
    expect((await first).status).toBe(409);
    expect((await second).status).toBe(200);
  });

  it("applies parse_mode like Telegram and rejects malformed HTML", async () => {
    const stub = await newStub();
    const bot = newBot(stub);
    const m = await bot.api.sendMessage(1, "<b>Laporan</b> &lt;diterima&gt; /status", { parse_mode: "HTML" });
    expect(m.text).toBe("Laporan <diterima> /status");
    expect(m.entities).toEqual([
      { type: "bold", offset: 0, length: 7 },
      { type: "bot_command", offset: 19, length: 7 },
    ]);
    const err = await bot.api.sendMessage(1, "a <b>b", { parse_mode: "HTML" }).catch((e: unknown) => e);
    expect(err).toBeInstanceOf(GrammyError);
    expect((err as GrammyError).description).toMatch(/can't parse entities/);
    const md = await bot.api.sendMessage(1, "*tebal* dan \\_bukan miring\\_\\.", {
      parse_mode: "MarkdownV2",
    });
    expect(md.text).toBe("tebal dan _bukan miring_.");
    const mdErr = await bot.api
      .sendMessage(1, "titik.", { parse_mode: "MarkdownV2" })
      .catch((e: unknown) => e);
    expect((mdErr as GrammyError).description).toMatch(/Character '\.' is reserved/);
  });

  it("edits: removes the keyboard when omitted and refuses no-op edits", async () => {
    const stub = await newStub();
    const bot = newBot(stub);
    const kb = new InlineKeyboard().text("Ya", "yes");
    const m = await bot.api.sendMessage(9, "Lanjut?", { reply_markup: kb });
    const edited = await bot.api.editMessageText(9, m.message_id, "Selesai");
    expect(edited).toMatchObject({ text: "Selesai" });
    expect((edited as { reply_markup?: unknown }).reply_markup).toBeUndefined();
    const err = await bot.api.editMessageText(9, m.message_id, "Selesai").catch((e: unknown) => e);
    expect((err as GrammyError).description).toMatch(/message is not modified/);
    expect(stub.sentTo(9)[0]).toMatchObject({ text: "Selesai", edited: true });
    await bot.api.deleteMessage(9, m.message_id);
    expect(stub.sentTo(9)[0]?.deleted).toBe(true);
  });

  it("waitFor rejects with the recent requests on timeout", async () => {
    const stub = await newStub();
    await api(stub, "sendMessage?chat_id=3&text=hai");
    await expect(stub.waitFor((r) => r.method === "sendPhoto", { timeoutMs: 50 })).rejects.toThrow(
      /waitFor timed out after 50ms[\s\S]*sendMessage chat=3 "hai" ok/,
    );
  });
});

describe("bot API stub: against grammY", () => {
  it("(1) long polling with bot.start(): receives a text and replies", async () => {
    const stub = await newStub();
    const bot = newBot(stub);
    bot.on("message:text", (ctx) => ctx.reply(`Terima kasih, ${ctx.from.first_name}: ${ctx.message.text}`));
    await startPolling(bot);
    stub.sendText(budi, "ada ASN kampanye");
    const reply = await stub.waitForMessage(budi.id);
    expect(reply.text).toBe("Terima kasih, Budi: ada ASN kampanye");
    expect(reply.message.chat).toMatchObject({ id: budi.id, type: "private" });
    const polls = stub.requests.filter((r) => r.method === "getUpdates");
    expect(polls[0]?.params.timeout).toBe(30);
    await stub.drained();
  });

  it("(1b) @grammyjs/runner: commands in private and group chats", async () => {
    const stub = await newStub();
    const bot = newBot(stub);
    bot.command("start", (ctx) => ctx.reply(`start in ${ctx.chat.type}: ${ctx.match}`));
    const runner: RunnerHandle = run(bot);
    cleanups.push(() => runner.isRunning() && runner.stop());
    stub.sendCommand(budi, "/start ref123");
    expect((await stub.waitForMessage(budi.id)).text).toBe("start in private: ref123");
    const group = stub.group({ type: "supergroup", title: "Relawan" });
    stub.sendCommand(budi, "/start", { chat: group, mention: true });
    const inGroup = await stub.waitForMessage(group.id);
    expect(inGroup.text).toBe("start in supergroup: ");
    expect(group.id).toBeLessThan(-1_000_000_000_000);
  });

  it("(2) receives a photo, getFile + download returns the same bytes", async () => {
    const stub = await newStub();
    const bot = newBot(stub);
    const original = fakePng(1600, 1200);
    let downloaded: Buffer | undefined;
    bot.on("message:photo", async (ctx) => {
      const sizes = ctx.message.photo;
      expect(sizes.length).toBeGreaterThan(1);
      expect(sizes[sizes.length - 1]).toMatchObject({ width: 1600, height: 1200 });
      const file = await ctx.getFile();
      const res = await fetch(`${stub.apiRoot}/file/bot${stub.token}/${file.file_path}`);
      downloaded = Buffer.from(await res.arrayBuffer());
      await ctx.reply(`size ${file.file_size}`, { reply_parameters: { message_id: ctx.message.message_id } });
    });
    await startPolling(bot);
    stub.sendPhoto(budi, original, { caption: "bukti" });
    const reply = await stub.waitForMessage(budi.id);
    expect(reply.text).toBe(`size ${original.length}`);
    expect(reply.message.reply_to_message?.caption).toBe("bukti");
    expect(downloaded?.equals(original)).toBe(true);
  });

  it("(3) sendPhoto / sendDocument uploads keep the bytes", async () => {
    const stub = await newStub();
    const bot = newBot(stub);
    const photoBytes = fakePng(640, 480);
    const pdfBytes = Buffer.concat([Buffer.from("%PDF-1.4\n"), randomBytes(5000)]);
    const photoMsg = await bot.api.sendPhoto(budi.id, new InputFile(photoBytes), {
      caption: "<i>foto</i>",
      parse_mode: "HTML",
    });
    const docMsg = await bot.api.sendDocument(budi.id, new InputFile(pdfBytes, "laporan.pdf"), {
      caption: "dokumen",
    });
    const [p, d] = stub.sentTo(budi.id);
    expect(p?.text).toBe("foto");
    expect(photoMsg.caption_entities).toEqual([{ type: "italic", offset: 0, length: 4 }]);
    expect(stub.fileBytes(p!.fileId!).equals(photoBytes)).toBe(true);
    expect(photoMsg.photo.at(-1)).toMatchObject({ width: 640, height: 480, file_size: photoBytes.length });
    expect(docMsg.document).toMatchObject({ file_name: "laporan.pdf", mime_type: "application/pdf" });
    expect(stub.fileBytes(d!.fileId!).equals(pdfBytes)).toBe(true);
    // re-sending by file_id re-uses the stored file
    const again = await bot.api.sendDocument(budi.id, docMsg.document.file_id);
    expect(again.document.file_unique_id).toBe(docMsg.document.file_unique_id);
    const file = await bot.api.getFile(docMsg.document.file_id);
    const res = await fetch(`${stub.apiRoot}/file/bot${stub.token}/${file.file_path}`);
    expect(Buffer.from(await res.arrayBuffer()).equals(pdfBytes)).toBe(true);
  });

  it("(4) sendMediaGroup with two uploaded photos", async () => {
    const stub = await newStub();
    const bot = newBot(stub);
    const a = fakePng(100, 100);
    const b = fakePng(200, 100);
    const msgs = await bot.api.sendMediaGroup(budi.id, [
      InputMediaBuilder.photo(new InputFile(a), { caption: "pertama" }),
      InputMediaBuilder.photo(new InputFile(b)),
    ]);
    expect(msgs).toHaveLength(2);
    const groupIds = msgs.map((m) => (m as { media_group_id?: string }).media_group_id);
    expect(groupIds[0]).toBeDefined();
    expect(groupIds[0]).toBe(groupIds[1]);
    expect(msgs[1]!.message_id).toBe(msgs[0]!.message_id + 1);
    const sent = stub.sentTo(budi.id);
    expect(sent.map((s) => s.text)).toEqual(["pertama", undefined]);
    expect(stub.fileBytes(sent[0]!.fileId!).equals(a)).toBe(true);
    expect(stub.fileBytes(sent[1]!.fileId!).equals(b)).toBe(true);
  });

  it("(5) auto-retry honours a 429 retry_after and the message arrives once", async () => {
    const stub = await newStub();
    const bot = newBot(stub);
    bot.api.config.use(autoRetry());
    stub.failNext("sendMessage", {
      error_code: 429,
      description: "Too Many Requests: retry after 1",
      parameters: { retry_after: 1 },
    });
    const t0 = Date.now();
    const m = await bot.api.sendMessage(budi.id, "coba lagi");
    expect(Date.now() - t0).toBeGreaterThanOrEqual(990);
    expect(m.message_id).toBe(1);
    expect(stub.sentTo(budi.id)).toHaveLength(1);
    expect(stub.requests.filter((r) => r.method === "sendMessage").map((r) => r.error_code ?? 200)).toEqual([
      429, 200,
    ]);
    expect(stub.stats).toMatchObject({ rateLimited: 1, unhonoured429: 0, totalSends: 1, duplicates: 0 });
  });

  it("(5b) a request ignoring retry_after is counted as unhonoured; 502 surfaces as an error", async () => {
    const stub = await newStub();
    const bot = newBot(stub);
    stub.failNext("sendMessage", {
      error_code: 429,
      description: "Too Many Requests: retry after 5",
      parameters: { retry_after: 5 },
    });
    await expect(bot.api.sendMessage(1, "x")).rejects.toMatchObject({
      error_code: 429,
      parameters: { retry_after: 5 },
    });
    await bot.api.sendMessage(1, "x");
    expect(stub.stats.unhonoured429).toBe(1);
    stub.failNext("*", { error_code: 502, description: "Bad Gateway" });
    await expect(bot.api.sendMessage(2, "y")).rejects.toMatchObject({
      error_code: 502,
      description: "Bad Gateway",
    });
  });

  it("(6) a blocked chat surfaces as GrammyError 403", async () => {
    const stub = await newStub();
    const bot = newBot(stub);
    stub.failChat(8080, { error_code: 403, description: "Forbidden: bot was blocked by the user" });
    const err = await bot.api.sendMessage(8080, "halo").catch((e: unknown) => e);
    expect(err).toBeInstanceOf(GrammyError);
    expect((err as GrammyError).error_code).toBe(403);
    expect((err as GrammyError).description).toBe("Forbidden: bot was blocked by the user");
    stub.setUnknownChats("reject");
    await expect(bot.api.sendMessage(999, "?")).rejects.toMatchObject({
      error_code: 400,
      description: "Bad Request: chat not found",
    });
  });

  it("(7) an inline keyboard press arrives as callback_query with the data", async () => {
    const stub = await newStub();
    const bot = newBot(stub);
    bot.command("lapor", (ctx) =>
      ctx.reply("Kirim laporan?", {
        reply_markup: new InlineKeyboard().text("Ya", "confirm:yes").text("Tidak", "confirm:no"),
      }),
    );
    bot.callbackQuery(/^confirm:(.+)$/, async (ctx) => {
      await ctx.answerCallbackQuery({ text: `pilihan ${ctx.match[1]}` });
      await ctx.editMessageText(`Dipilih: ${ctx.callbackQuery.data}`);
    });
    await startPolling(bot);
    stub.sendCommand(budi, "/lapor");
    const question = await stub.waitForMessage(budi.id);
    expect(() => stub.pressButton(budi, question, "nope")).toThrow(/no button with callback_data/);
    stub.pressButton(budi, question, "confirm:yes");
    await stub.waitFor((r) => r.method === "editMessageText" && r.ok === true);
    expect(stub.answeredCallbacks).toEqual([
      expect.objectContaining({ data: "confirm:yes", text: "pilihan yes" }),
    ]);
    expect(question).toMatchObject({ text: "Dipilih: confirm:yes", edited: true, reply_markup: undefined });
  });

  it("(8) the rate limiter answers 429 for a 40-message burst with globalPerSecond 30", async () => {
    const stub = await newStub({ rateLimit: { globalPerSecond: 30 } });
    const bot = newBot(stub);
    const results = await Promise.allSettled(
      Array.from({ length: 40 }, (_, i) => bot.api.sendMessage(10_000 + i, `siaran ${i}`)),
    );
    const rejected = results
      .filter((r) => r.status === "rejected")
      .map((r) => (r as PromiseRejectedResult).reason);
    expect(results.filter((r) => r.status === "fulfilled")).toHaveLength(30);
    expect(rejected).toHaveLength(10);
    for (const e of rejected) {
      expect(e).toBeInstanceOf(GrammyError);
      expect((e as GrammyError).error_code).toBe(429);
      expect((e as GrammyError).parameters.retry_after).toBeGreaterThanOrEqual(1);
    }
    expect(stub.stats.rateLimited).toBe(10);
    expect(stub.stats.peakSendsPerSecond).toBe(30);
    // paid broadcast lifts the global limit
    const paid = await bot.api.sendMessage(20_000, "berbayar", { allow_paid_broadcast: true });
    expect(paid.message_id).toBe(1);
  });

  it("per-chat limit and keepLog:false counters", async () => {
    const stub = await newStub({ keepLog: false, rateLimit: { perChatPerSecond: 1 } });
    const bot = newBot(stub);
    await bot.api.sendMessage(5, "satu");
    await expect(bot.api.sendMessage(5, "dua")).rejects.toMatchObject({ error_code: 429 });
    await bot.api.sendMessage(6, "satu");
    await bot.api.sendMessage(7, "satu");
    await bot.api.sendMessage(7, "satu").catch(() => undefined);
    expect(stub.requests).toHaveLength(0);
    expect(stub.stats).toMatchObject({ totalSends: 3, rateLimitedPerChat: 2, duplicates: 0 });
    expect(stub.stats.byChat.get(5)).toBe(1);
    expect(stub.stats.byMethod.sendMessage).toBe(5);
    expect(stub.stats.unhonoured429).toBe(0);
    await expect(bot.api.sendMessage(7, "tiga")).rejects.toMatchObject({ error_code: 429 }); // ignores retry_after
    expect(stub.stats.unhonoured429).toBe(1);
    await new Promise((r) => setTimeout(r, 1000));
    await bot.api.sendMessage(7, "satu"); // same content again to the same chat
    expect(stub.stats.duplicates).toBe(1);
  });
});

describe("bot API stub: per-chat bursts", () => {
  it("a chat takes a short burst, then one message a second; another chat is not affected", async () => {
    const stub = await newStub({ rateLimit: { perChatPerSecond: 1, perChatBurst: 3 } });
    const bot = newBot(stub);
    for (const text of ["satu", "dua", "tiga"]) await bot.api.sendMessage(5, text);
    const refused = await bot.api.sendMessage(5, "empat").catch((e: GrammyError) => e);
    expect(refused).toMatchObject({ error_code: 429, parameters: { retry_after: 1 } });
    await bot.api.sendMessage(6, "lain");
    await new Promise((r) => setTimeout(r, 1000));
    await bot.api.sendMessage(5, "lima");
    await expect(bot.api.sendMessage(5, "enam")).rejects.toMatchObject({ error_code: 429 });
    expect(stub.stats).toMatchObject({ totalSends: 5, rateLimitedPerChat: 2, unhonoured429: 0 });
  });
});

describe("bot API stub: other methods and injections", () => {
  it("location, document, sticker, groups, commands, copyMessage, chat actions, allowed_updates", async () => {
    const stub = await newStub();
    const bot = newBot(stub);
    await bot.api.setMyCommands([{ command: "lapor", description: "Buat laporan" }]);
    expect(await bot.api.getMyCommands()).toEqual([{ command: "lapor", description: "Buat laporan" }]);
    await expect(bot.api.setMyCommands([{ command: "Lapor!", description: "x" }])).rejects.toMatchObject({
      error_code: 400,
    });

    const seen: string[] = [];
    bot.on("message:location", async (ctx) => {
      seen.push(`loc ${ctx.message.location.latitude},${ctx.message.location.longitude}`);
      await ctx.replyWithChatAction("find_location");
      await ctx.replyWithLocation(ctx.message.location.latitude, ctx.message.location.longitude);
    });
    bot.on("message:document", async (ctx) => {
      const file = await ctx.getFile();
      seen.push(`doc ${ctx.message.document.file_name} ${ctx.message.document.mime_type} ${file.file_size}`);
      await ctx.copyMessage(ctx.chat.id);
    });
    bot.on("message:sticker", (_ctx) => {
      seen.push("sticker");
    });
    bot.on("message:text", (ctx) => {
      seen.push(`${ctx.chat.type} ${ctx.message.text}`);
    });
    bot.on("edited_message", () => {
      seen.push("edited");
    });
    await new Promise<void>((resolve, reject) => {
      bot.start({ allowed_updates: ["message", "callback_query"], onStart: () => resolve() }).catch(reject);
    });
    cleanups.push(() => bot.stop());

    stub.sendLocation(budi, -6.2, 106.8);
    await stub.waitForMessage(budi.id, { match: (m) => m.method === "sendLocation" });
    stub.sendDocument(budi, Buffer.from("nama,nip\nA,1\n"), { fileName: "daftar.csv", mimeType: "text/csv" });
    const copy = await stub.waitForMessage(budi.id, { match: (m) => m.method === "copyMessage" });
    expect(stub.fileBytes(copy.fileId!).toString()).toBe("nama,nip\nA,1\n");
    stub.sendSticker(budi);
    stub.injectUpdate({ edited_message: { message_id: 1, date: 0, chat: { id: budi.id, type: "private" } } });
    const group = stub.group({ title: "Pengawas" });
    stub.sendText(budi, "halo grup", { chat: group });
    await stub.drained();
    expect(seen).toEqual([
      "loc -6.2,106.8",
      "doc daftar.csv text/csv 13",
      "sticker",
      // edited_message was not in allowed_updates: dropped
      "group halo grup",
    ]);
    expect(
      stub.requests.some((r) => r.method === "sendChatAction" && r.params.action === "find_location"),
    ).toBe(true);
    expect(stub.sentTo(budi.id).map((m) => m.method)).toEqual(["sendLocation", "copyMessage"]);
  });

  it("answering a callback twice fails; unknown file ids fail; close() releases a held poll", async () => {
    const stub = await newStub();
    const bot = newBot(stub);
    const m = await bot.api.sendMessage(budi.id, "?", { reply_markup: new InlineKeyboard().text("A", "a") });
    const update = stub.pressButton(budi, m.message_id, "a");
    const id = update.callback_query!.id;
    await bot.api.answerCallbackQuery(id);
    await expect(bot.api.answerCallbackQuery(id)).rejects.toMatchObject({ error_code: 400 });
    await expect(bot.api.sendPhoto(budi.id, "AgACnope")).rejects.toMatchObject({
      description: "Bad Request: wrong file identifier/HTTP URL specified",
    });
    await expect(bot.api.getFile("nope")).rejects.toMatchObject({
      description: "Bad Request: invalid file_id",
    });
    const t0 = Date.now();
    const held = api(stub, `getUpdates?timeout=30&offset=${update.update_id + 1}`);
    while (!stub.requests.some((r) => r.method === "getUpdates")) await new Promise((r) => setTimeout(r, 5));
    await stub.close();
    expect(((await (await held).json()) as { result: unknown[] }).result).toEqual([]);
    expect(Date.now() - t0).toBeLessThan(1000);
  });
});
